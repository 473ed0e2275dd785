// Test helpers of the strategy language: a fake node catalog, graph builders and random-walk data.
export * from './bars';
export * from './graphs';
export * from './nodes';
