// Public surface of @candleflow/nodes.
export {};
