// Prepares the machine for `npm test`: checks the runtime and says which optional inputs are present.
// Later capabilities (PostgreSQL, Redis, Chromium) install and start their services here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Candleflow needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}
const shared = join(root, '..', 'shared', 'data');
console.log(
  existsSync(shared)
    ? `test-setup: reference data found at ${shared}`
    : `test-setup: ${shared} is absent: tests that compare against public reference data will be skipped`,
);
