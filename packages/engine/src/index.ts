// Public surface of @candleflow/engine.
export * from './types';
export * from './account/index';
export * from './backtest/backtest';
export * from './backtest/settings';
export * from './exchange/costs';
export * from './exchange/instrument';
export * from './exchange/sim-exchange';
export { kellyFraction } from './metrics/kelly';
export * from './metrics/metrics';
export * from './metrics/warnings';
export * from './orders/ids';
export * from './orders/order-state';
export * from './risk/risk-engine';
export * from './risk/sizing';
export * from './version';
export * from './schemas/index';
