// The complete set of published JSON Schemas: the strategy language's shapes followed by the engine's.
// tools/export-schemas.ts writes these; a contract test keeps the committed files equal to them.
import {
  DSL_SCHEMA_EXPORTS,
  jsonSchemaExportOf,
  type JsonSchemaDocument,
  type JsonSchemaExport,
  toJsonSchemaDocument,
} from '@candleflow/strategy-dsl';
import { FillSchema, OrderSchema, TradeSchema } from './engine-schemas';

export const ENGINE_SCHEMA_EXPORTS: readonly JsonSchemaExport[] = [
  jsonSchemaExportOf('order.schema.json', OrderSchema),
  jsonSchemaExportOf('fill.schema.json', FillSchema),
  jsonSchemaExportOf('trade.schema.json', TradeSchema),
];

/** Every schema file under schemas/, in a stable order. */
export function jsonSchemaDocuments(): JsonSchemaDocument[] {
  return [...DSL_SCHEMA_EXPORTS, ...ENGINE_SCHEMA_EXPORTS].map(toJsonSchemaDocument);
}

/** The exact text of a schema file: two-space JSON and a final newline. */
export function jsonSchemaFileText(document: JsonSchemaDocument): string {
  return `${JSON.stringify(document.json, null, 2)}\n`;
}
