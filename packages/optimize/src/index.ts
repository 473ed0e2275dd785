// Public surface of the optimizer: the request schema, the report shapes, search, statistics.
export * from './random';
export * from './report';
export * from './spec';
export * from './returns';
export * from './stats';
export * from './walk-forward';
