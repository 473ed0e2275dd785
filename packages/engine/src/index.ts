// Public surface of @candleflow/engine.
export * from './types';
