// Writes the JSON Schemas of the shared shapes (graph, bar, signal, order intent, order, fill, trade) to
// schemas/ from their zod definitions, formatted the way Biome formats JSON so `npm run lint` stays clean.
// A contract test (packages/engine/src/schemas/exported-files.contract.test.ts) fails when they go stale.
// Run: node --import tsx tools/export-schemas.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaDocuments } from '@candleflow/engine';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'schemas');
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
const paths = documents.map((document) => {
  const path = join(dir, document.file);
  writeFileSync(path, `${JSON.stringify(document.json, null, 2)}\n`);
  return path;
});
execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', ...paths], {
  stdio: 'inherit',
});
for (const path of paths) console.log(`wrote ${path}`);
