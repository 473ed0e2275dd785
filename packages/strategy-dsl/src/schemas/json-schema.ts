// Turns the zod schemas of shared shapes into JSON Schema documents (draft 2020-12) for other languages,
// the studio and API docs. tools/export-schemas.ts writes them to schemas/ at the repository root.
import { z } from 'zod';
import { GraphSchema } from '../graph';
import { BarSchema, OrderIntentSchema, SignalSchema } from './contract-schemas';

/** Where the published schemas live; each document's $id is this plus its file name. */
export const SCHEMA_BASE_URI = 'https://candleflow.dev/schemas/';

export interface JsonSchemaExport {
  /** File name under schemas/, e.g. `bar.schema.json`. */
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly schema: z.ZodType;
  /** `input` describes what may be written (fields with defaults optional), `output` what parsing returns. */
  readonly io: 'input' | 'output';
}

export interface JsonSchemaDocument {
  readonly file: string;
  readonly json: Readonly<Record<string, unknown>>;
}

export const DSL_SCHEMA_EXPORTS: readonly JsonSchemaExport[] = [
  {
    file: 'graph.schema.json',
    title: 'Graph',
    description:
      'A saved Candleflow strategy graph: what the canvas edits and the compiler reads. Fields with a default may be left out.',
    schema: GraphSchema,
    // Saved graphs may leave out fields that have defaults, so the file format is the schema's input side.
    io: 'input',
  },
  jsonSchemaExportOf('bar.schema.json', BarSchema),
  jsonSchemaExportOf('signal.schema.json', SignalSchema),
  jsonSchemaExportOf('order-intent.schema.json', OrderIntentSchema),
];

/** An export that takes its title and description from the schema's own metadata. */
export function jsonSchemaExportOf(file: string, schema: z.ZodType): JsonSchemaExport {
  const meta = schema.meta();
  if (typeof meta?.title !== 'string' || typeof meta.description !== 'string') {
    throw new Error(
      `exporting ${file}: give the schema a title and a description with .meta({ title, description })`,
    );
  }
  return { file, title: meta.title, description: meta.description, schema, io: 'output' };
}

export function toJsonSchemaDocument(spec: JsonSchemaExport): JsonSchemaDocument {
  const {
    $schema,
    title: _title,
    description: _description,
    ...body
  } = z.toJSONSchema(spec.schema, {
    io: spec.io,
    target: 'draft-2020-12',
  });
  // Identity first, so a reader of the file sees what it is before the details.
  return {
    file: spec.file,
    json: {
      $schema,
      $id: SCHEMA_BASE_URI + spec.file,
      title: spec.title,
      description: spec.description,
      ...body,
    },
  };
}
