// Runtime schemas of orders, fills and trades, and the full list of published JSON Schemas.
export * from './engine-schemas';
export * from './json-schemas';
