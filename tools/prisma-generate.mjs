// Generates the Prisma client into packages/db/src/generated (gitignored) when prisma/schema.prisma
// changed since the last generation. Run before tests (tools/test-setup.mjs) and before start.
// Offline-safe: the generator needs no native engine, so the schema engine is pointed at /bin/true.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'prisma', 'schema.prisma');
const outDir = join(root, 'packages', 'db', 'src', 'generated');
const stampPath = join(outDir, '.schema-hash');

/** Returns true when it generated, false when the client was already current. */
export function ensurePrismaClient({ force = false } = {}) {
  const require = createRequire(import.meta.url);
  const prismaPackage = require.resolve('prisma/package.json');
  const version = JSON.parse(readFileSync(prismaPackage, 'utf8')).version;
  const stamp = createHash('sha256')
    .update(readFileSync(schemaPath))
    .update(`prisma@${version}`)
    .digest('hex');
  const current = existsSync(join(outDir, 'client.ts')) && existsSync(stampPath);
  if (!force && current && readFileSync(stampPath, 'utf8') === stamp) return false;
  const cli = join(dirname(prismaPackage), 'build', 'index.js');
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schemaPath], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  if (result.status !== 0) {
    throw new Error(
      `prisma generate failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}\nFix prisma/schema.prisma and run node tools/prisma-generate.mjs again.`,
    );
  }
  writeFileSync(stampPath, stamp);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const generated = ensurePrismaClient({ force: process.argv.includes('--force') });
    console.log(
      generated
        ? 'prisma-generate: Prisma client generated into packages/db/src/generated'
        : 'prisma-generate: Prisma client is up to date',
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
