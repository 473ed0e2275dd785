// The committed schemas/*.schema.json must be exactly what tools/export-schemas.ts writes from the zod
// schemas today, byte for byte, so the published schemas never go stale.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaDocuments, jsonSchemaFileText } from './json-schemas';
import { readCommittedSchemas, SCHEMA_DIR } from './test-support/json-schema-validator';

const REGENERATE = 'run `node --import tsx tools/export-schemas.ts` and commit schemas/';

describe('committed JSON Schema files', () => {
  const documents = jsonSchemaDocuments();
  const committed = readCommittedSchemas();

  it('are the seven published shapes', () => {
    expect(documents.map((d) => d.file).sort()).toEqual([
      'bar.schema.json',
      'fill.schema.json',
      'graph.schema.json',
      'order-intent.schema.json',
      'order.schema.json',
      'signal.schema.json',
      'trade.schema.json',
    ]);
  });

  it('exist for every exported schema and for nothing else', () => {
    expect(
      [...committed.keys()].sort(),
      `${SCHEMA_DIR} holds other files than exported: ${REGENERATE}`,
    ).toEqual(documents.map((d) => d.file).sort());
  });

  it.each(documents.map((d) => [d.file, d] as const))(
    '%s equals what the export tool writes now',
    (file, d) => {
      // First the content, which fails with a readable diff; then the exact text (key order, layout).
      expect(committed.get(file), `schemas/${file} is stale: ${REGENERATE}`).toEqual(d.json);
      const text = readFileSync(join(SCHEMA_DIR, file), 'utf8');
      expect(
        text === jsonSchemaFileText(d),
        `schemas/${file} is not laid out as the tool writes it: ${REGENERATE}`,
      ).toBe(true);
    },
  );

  it.each(documents.map((d) => [d.file, d] as const))(
    '%s names itself, its draft, title and description',
    (file, d) => {
      expect(d.json).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://candleflow.dev/schemas/${file}`,
        title: expect.stringMatching(/^[A-Z]\w+$/),
        description: expect.stringMatching(/\w/),
      });
      expect(Object.keys(d.json).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
    },
  );
});
