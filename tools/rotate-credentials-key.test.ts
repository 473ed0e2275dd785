// The rotation command as an operator runs it: a real process with CREDENTIALS_KEYS in its environment,
// against the embedded database and against PostgreSQL.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BACKENDS, type BackendKind, createTestPostgresDatabase, openDatabase } from '@candleflow/db';
import { describe, expect, it } from 'vitest';
import type { Keyring } from '../apps/server/src/credentials/cipher';
import { openRow, sealColumns } from '../apps/server/src/credentials/store';
import { testEnv } from '../apps/server/src/env';
import { parseArgs, runRotateCommand } from './rotate-credentials-key';

const run = promisify(execFile);
const repoRoot = new URL('..', import.meta.url).pathname;
const oldKey = { id: 'old', key: randomBytes(32) };
const newKey = { id: 'new', key: randomBytes(32) };
const spec = (...keys: (typeof oldKey)[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
const ring = (...keys: (typeof oldKey)[]): Keyring => ({ active: keys[0]!, all: keys });

/** A database of the given kind with three credentials under the old key; the handle is closed. */
async function seededDatabase(backend: BackendKind) {
  const dataDir = await mkdtemp(join(tmpdir(), 'candleflow-rotate-'));
  const postgres = backend === 'postgres' ? await createTestPostgresDatabase() : undefined;
  const config = { url: postgres?.url, dataDir };
  const db = await openDatabase(config);
  const user = await db.prisma.user.create({ data: { email: 'r@example.com', passwordHash: 'x' } });
  for (const id of ['c1', 'c2', 'c3']) {
    const sealed = sealColumns(
      ring(oldKey),
      { id, userId: user.id },
      { apiKey: `key-${id}`, secret: `s-${id}` },
    );
    await db.prisma.exchangeCredential.create({
      data: { id, userId: user.id, exchange: 'kraken', label: id, apiKeyLast4: id, ...sealed },
    });
  }
  await db.close();
  return {
    config,
    env: { DATA_DIR: dataDir, ...(postgres ? { DATABASE_URL: postgres.url } : {}) },
    dispose: async () => {
      await postgres?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe('rotate-credentials-key as a process', () => {
  // One real process run (slow to start under tsx); the in-process tests below cover both backends.
  it('re-encrypts every credential in PostgreSQL, after which the old key can go', async () => {
    const seeded = await seededDatabase('postgres');
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tools/rotate-credentials-key.ts'], {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          ...seeded.env,
          CREDENTIALS_KEYS: spec(newKey, oldKey),
        },
      });

      expect(stdout).toMatch(
        /re-encrypted 3 credential\(s\) under key "new" in 1 batch\(es\); 0 were already/,
      );
      expect(stdout).toMatch(/no credential uses old any more/);
      const db = await openDatabase(seeded.config);
      try {
        const rows = await db.prisma.exchangeCredential.findMany({ orderBy: { id: 'asc' } });
        expect(rows.map((row) => row.keyId)).toEqual(['new', 'new', 'new']);
        expect(rows.map((row) => openRow(ring(newKey), row).secret)).toEqual(['s-c1', 's-c2', 's-c3']);
      } finally {
        await db.close();
      }
    } finally {
      await seeded.dispose();
    }
  });
});

describe.each(BACKENDS)('runRotateCommand on %s', (backend) => {
  it('reports each batch and is a no-op when run again', async () => {
    const seeded = await seededDatabase(backend);
    try {
      const env = testEnv({ ...seeded.env, CREDENTIALS_KEYS: spec(newKey, oldKey) });
      const first: string[] = [];
      const second: string[] = [];

      const a = await runRotateCommand({ env, batchSize: 2, print: (line) => first.push(line) });
      const b = await runRotateCommand({ env, print: (line) => second.push(line) });

      expect(a).toMatchObject({ rotated: 3, batches: 2 });
      expect(first.filter((line) => line.startsWith('batch '))).toEqual([
        'batch 1 committed: 2 re-encrypted so far',
        'batch 2 committed: 3 re-encrypted so far',
      ]);
      expect(b).toMatchObject({ rotated: 0, alreadyCurrent: 3, after: { new: 3 } });
      expect(second.at(-1)).toMatch(/re-encrypted 0 credential\(s\).*3 were already under it/);
    } finally {
      await seeded.dispose();
    }
  });
});

describe('rotate-credentials-key command line', () => {
  it('reads --batch-size in both forms and refuses anything else', () => {
    expect(parseArgs([])).toEqual({});
    expect(parseArgs(['--batch-size', '50'])).toEqual({ batchSize: 50 });
    expect(parseArgs(['--batch-size=7'])).toEqual({ batchSize: 7 });
    expect(() => parseArgs(['--batch-size', '0'])).toThrow(/positive whole number, got "0"/);
    expect(() => parseArgs(['--batch-size'])).toThrow(/got ""/);
    expect(() => parseArgs(['--dry-run'])).toThrow(/unknown argument "--dry-run"/);
  });

  it('fails with a clear message when the key that encrypted a row is missing', async () => {
    const seeded = await seededDatabase('pglite');
    try {
      const env = testEnv({ ...seeded.env, CREDENTIALS_KEYS: spec(newKey) });
      await expect(runRotateCommand({ env, print: () => {} })).rejects.toThrow(
        /credential c1 is encrypted with key id "old", which is not in CREDENTIALS_KEYS/,
      );
    } finally {
      await seeded.dispose();
    }
  });
});
