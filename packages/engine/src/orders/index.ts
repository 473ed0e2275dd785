// Orders: the transition table that is the only way an order changes, and deterministic client ids.
export * from './ids';
export * from './order-state';
