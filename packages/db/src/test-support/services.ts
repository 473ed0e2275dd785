// Test helpers for real databases: the PostgreSQL and Redis that tools/test-setup.mjs started,
// a throwaway PostgreSQL database per test file, and a fresh PGlite in a temporary folder.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BackendKind } from '../adapters';
import { type Database, openDatabase } from '../database';
import type { ApplyOptions } from '../migrate';

export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
}

export const SERVICES_FILE = fileURLToPath(
  new URL('../../../../.candleflow/test-services.json', import.meta.url),
);

/** Both backends, for `describe.each(BACKENDS)`. */
export const BACKENDS: readonly BackendKind[] = ['pglite', 'postgres'];

/** The URLs tools/test-setup.mjs wrote; throws saying how to create them when it has not run. */
export function testServices(file: string = SERVICES_FILE): TestServices {
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: PostgreSQL and Redis for tests have not been set up. Run npm test (or node tools/test-setup.mjs once, then npx vitest run <folder>).`,
    );
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<TestServices>;
  if (typeof parsed.databaseUrl !== 'string' || typeof parsed.redisUrl !== 'string') {
    throw new Error(`${file} lacks databaseUrl or redisUrl; run node tools/test-setup.mjs again.`);
  }
  return { databaseUrl: parsed.databaseUrl, redisUrl: parsed.redisUrl };
}

export interface TestPostgresDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database with a random name; drop() removes it. */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const base = new URL(testServices().databaseUrl);
  const name = `cf_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      // Without pg_signal_backend (a test role set up by someone else), FORCE cannot end an autovacuum worker
      // that is in the database; it finishes within moments, so try again briefly.
      for (let attempt = 1; ; attempt++) {
        try {
          return await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } catch (error) {
          if ((error as { code?: string }).code !== '42501' || attempt === 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
  };
}

/** A fresh, migrated database of the given kind; close() also deletes it. */
export async function openTestDatabase(
  kind: BackendKind,
  options: ApplyOptions = {},
): Promise<
  Database & { dataDir: string /** PostgreSQL: the URL other processes connect with. */; url?: string }
> {
  const dataDir = await mkdtemp(join(tmpdir(), 'candleflow-db-test-'));
  const postgres = kind === 'postgres' ? await createTestPostgresDatabase() : undefined;
  try {
    const db = await openDatabase({ url: postgres?.url, dataDir, ...options });
    return {
      ...db,
      dataDir,
      ...(postgres ? { url: postgres.url } : {}),
      close: async () => {
        await db.close();
        await postgres?.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
