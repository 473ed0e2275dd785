// Public surface of the optimizer: the request schema, the report shapes, search, statistics.
export * from './random';
export * from './report';
export * from './spec';
export * from './returns';
export * from './stats';
export * from './walk-forward';
export * from './space';
export * from './plan-search';
export * from './samplers/index';
export * from './objective';
export * from './importance';
export * from './monte-carlo';
export * from './overfitting';
