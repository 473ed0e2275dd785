// Public surface of @candleflow/data.
export {};
