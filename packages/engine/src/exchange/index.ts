// The simulated exchange and the exchange precision and cost rules it applies.
export * from './costs';
export * from './instrument';
export * from './sim-exchange';
