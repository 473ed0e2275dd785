// Public surface of the strategy language: graph schema, node contract, diagnostics, compiler, text, kernel.
export * from './contract';
export * from './errors';
export * from './graph';
export * from './plan';
export * from './timeframe';
export * from './compiler/index';
export * from './kernel/index';
export * from './text/index';
export * from './schemas/index';
export * from './bind-feeds';
