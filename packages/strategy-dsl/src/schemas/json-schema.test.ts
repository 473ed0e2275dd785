import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ExitSchema } from './contract-schemas';
import { DSL_SCHEMA_EXPORTS, jsonSchemaExportOf, SCHEMA_BASE_URI, toJsonSchemaDocument } from './json-schema';

const documents = DSL_SCHEMA_EXPORTS.map(toJsonSchemaDocument);
const byFile = new Map(documents.map((d) => [d.file, d.json]));

describe('toJsonSchemaDocument', () => {
  it('starts every document with its draft, $id, title and description', () => {
    for (const { file, json } of documents) {
      expect(Object.keys(json).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
      expect(json.$id).toBe(`${SCHEMA_BASE_URI}${file}`);
    }
  });

  it('describes the graph as it may be saved: fields with defaults are optional', () => {
    expect(byFile.get('graph.schema.json')?.required).toEqual(['schemaVersion', 'name', 'nodes']);
  });

  it('describes the other shapes as produced: every field of a bar is required', () => {
    expect(byFile.get('bar.schema.json')?.required).toEqual([
      'time',
      'open',
      'high',
      'low',
      'close',
      'volume',
    ]);
  });

  it('carries the rule that a distance exit needs percent or distance into JSON Schema', () => {
    const json = z.toJSONSchema(ExitSchema) as { oneOf: { anyOf?: unknown }[] };

    expect(json.oneOf.map((variant) => variant.anyOf)).toEqual([
      [{ required: ['percent'] }, { required: ['distance'] }],
      [{ required: ['percent'] }, { required: ['distance'] }],
      [{ required: ['percent'] }, { required: ['distance'] }],
      undefined,
    ]);
  });
});

describe('jsonSchemaExportOf', () => {
  it('takes the title and description from the schema metadata', () => {
    const schema = z.object({ a: z.number() }).meta({ title: 'A', description: 'An a.' });

    expect(jsonSchemaExportOf('a.schema.json', schema)).toEqual({
      file: 'a.schema.json',
      title: 'A',
      description: 'An a.',
      schema,
      io: 'output',
    });
  });

  it('refuses a schema without a title, saying which file and how to fix it', () => {
    expect(() => jsonSchemaExportOf('untitled.schema.json', z.object({}))).toThrow(
      /untitled\.schema\.json: give the schema a title and a description with \.meta/,
    );
  });
});
