// The complete set of published JSON Schemas: the strategy language's shapes followed by the engine's.
// tools/export-schemas.ts writes these; a contract test keeps the committed files equal to them.
import {
  DSL_SCHEMA_EXPORTS,
  exportOf,
  type JsonSchemaDocument,
  type JsonSchemaExport,
  toJsonSchemaDocument,
} from '@candleflow/strategy-dsl';
import { FillSchema, OrderSchema, TradeSchema } from './engine-schemas';

export const ENGINE_SCHEMA_EXPORTS: readonly JsonSchemaExport[] = [
  exportOf('order.schema.json', OrderSchema),
  exportOf('fill.schema.json', FillSchema),
  exportOf('trade.schema.json', TradeSchema),
];

/** Every schema file under schemas/, in a stable order. */
export function jsonSchemaDocuments(): JsonSchemaDocument[] {
  return [...DSL_SCHEMA_EXPORTS, ...ENGINE_SCHEMA_EXPORTS].map(toJsonSchemaDocument);
}
