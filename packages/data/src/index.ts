// Public surface of @candleflow/data: candle import, cache, generator and exchange fetch.
export * from './cache/cache';
export * from './cache/load';
export * from './csv/errors';
export * from './csv/parse';
export type { TimeFormat } from './csv/timestamps';
export * from './generate/generate';
export * from './generate/write-csv';
export { hashCandles } from './hash';
export * from './timeframe';
export * from './types';
export * from './fetch/fetch';
