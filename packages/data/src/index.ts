// Public surface of @candleflow/data: candle import, cache, generator and exchange fetch.
export * from './types';
