// The committed schemas/*.schema.json must be exactly what tools/export-schemas.ts writes from the zod
// schemas today (whitespace aside: Biome formats the files), so the published schemas never go stale.
import { describe, expect, it } from 'vitest';
import { jsonSchemaDocuments } from './json-schemas';
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
      // First the content, which fails with a readable diff; then the key order too (stringified).
      expect(committed.get(file), `schemas/${file} is stale: ${REGENERATE}`).toEqual(d.json);
      expect(
        JSON.stringify(committed.get(file)),
        `schemas/${file} has keys out of order: ${REGENERATE}`,
      ).toBe(JSON.stringify(d.json));
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
