// Writes the JSON Schemas of the shared shapes (graph, bar, signal, order intent, order, fill, trade) to
// schemas/ from their zod definitions. A contract test (packages/engine/src/schemas/exported-files
// .contract.test.ts) fails when the committed files differ from what this writes.
// Run: node --import tsx tools/export-schemas.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaDocuments, jsonSchemaFileText } from '@candleflow/engine';

const dir = join(import.meta.dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
const documents = jsonSchemaDocuments();
const exported = new Set(documents.map((d) => d.file));
// A schema that is no longer exported must not linger as a stale file.
for (const file of readdirSync(dir)) {
  if (file.endsWith('.schema.json') && !exported.has(file)) {
    rmSync(join(dir, file));
    console.log(`removed ${join(dir, file)}`);
  }
}
for (const document of documents) {
  const path = join(dir, document.file);
  writeFileSync(path, jsonSchemaFileText(document));
  console.log(`wrote ${path}`);
}
