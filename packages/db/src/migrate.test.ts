import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigration } from '../../../tools/prisma-migrate-dev';
import type { BackendKind } from './adapters';
import { type DatabaseConfig, openDatabase } from './database';
import { MigrationError } from './migrate';
import { createPGlite } from './pglite';
import { MIGRATIONS_DIR } from './schema-engine';
import { BACKENDS, createTestPostgresDatabase } from './test-support/services';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A database location that can be opened several times: a PGlite folder or a PostgreSQL db. */
async function location(kind: BackendKind): Promise<DatabaseConfig> {
  const dataDir = await tempDir('candleflow-migrate-');
  if (kind === 'pglite') return { dataDir };
  const postgres = await createTestPostgresDatabase();
  cleanups.push(() => postgres.drop());
  return { url: postgres.url, dataDir };
}

async function copyOfMigrations(): Promise<string> {
  const dir = join(await tempDir('candleflow-migrations-'), 'migrations');
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Reads the database behind Prisma's back, to see exactly what a failed start left. */
async function rawQuery(config: DatabaseConfig, sql: string): Promise<unknown[]> {
  if (config.url) {
    const client = new pg.Client({ connectionString: config.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const db = await createPGlite(join(config.dataDir, 'db'));
  try {
    return (await db.query(sql)).rows;
  } finally {
    await db.close();
  }
}

async function openAndClose(config: DatabaseConfig) {
  const db = await openDatabase(config);
  await db.close();
  return db.migrations;
}

describe.each(BACKENDS)('migrations on %s', (kind) => {
  it('applies every committed migration to a fresh database, then nothing on the next start', async () => {
    const config = await location(kind);
    const expected = await committedMigrations();

    const first = await openAndClose(config);
    const second = await openAndClose(config);

    expect(first.applied).toEqual(expected);
    expect(second.applied).toEqual([]);
  });

  it("records each migration in Prisma's _prisma_migrations with the SHA-256 of its file", async () => {
    const config = await location(kind);
    const db = await openDatabase(config);
    try {
      const rows = await db.prisma.$queryRaw<
        { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[]
      >`SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`;

      const expected = await Promise.all(
        (await committedMigrations()).map(async (name) => ({
          migration_name: name,
          checksum: createHash('sha256')
            .update(await readFile(join(MIGRATIONS_DIR, name, 'migration.sql')))
            .digest('hex'),
        })),
      );
      expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(expected);
      expect(rows.every((row) => row.finished_at !== null && row.rolled_back_at === null)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('refuses to start when an applied migration was modified', async () => {
    const config = await location(kind);
    const migrationsDir = await copyOfMigrations();
    await openAndClose({ ...config, migrationsDir });
    const [first] = await committedMigrations();
    await appendFile(join(migrationsDir, String(first), 'migration.sql'), '\n-- edited later\n');

    const attempt = openAndClose({ ...config, migrationsDir });

    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toMatchObject({
      code: 'MIGRATION_EDITED',
      message: expect.stringContaining(String(first)),
    });
  });

  it('refuses to start when the database has migrations this code does not know', async () => {
    const config = await location(kind);
    await openAndClose(config);
    const olderCode = await copyOfMigrations();
    const newest = (await committedMigrations()).at(-1);
    await rm(join(olderCode, String(newest)), { recursive: true });

    await expect(openAndClose({ ...config, migrationsDir: olderCode })).rejects.toMatchObject({
      code: 'DATABASE_AHEAD',
      message: expect.stringContaining(String(newest)),
    });
  });

  it('applies a new migration whose SQL has semicolons inside literals, as one script', async () => {
    const config = await location(kind);
    const migrationsDir = await copyOfMigrations();
    await openAndClose({ ...config, migrationsDir });
    const name = '29990101000000_comment';
    await mkdir(join(migrationsDir, name));
    await writeFile(
      join(migrationsDir, name, 'migration.sql'),
      `COMMENT ON TABLE "User" IS 'accounts; one row per person';\nCREATE INDEX "User_createdAt_idx" ON "User"("createdAt");\n`,
    );

    const outcome = await openAndClose({ ...config, migrationsDir });

    expect(outcome.applied).toEqual([name]);
    const db = await openDatabase({ ...config, migrationsDir });
    try {
      const [row] = await db.prisma.$queryRaw<{ comment: string }[]>`
        SELECT obj_description('"User"'::regclass, 'pg_class') AS comment`;
      expect(row?.comment).toBe('accounts; one row per person');
    } finally {
      await db.close();
    }
  });

  it('rolls back a failing migration entirely and reports which one failed', async () => {
    const config = await location(kind);
    const migrationsDir = await copyOfMigrations();
    const name = '29990101000000_broken';
    await mkdir(join(migrationsDir, name));
    await writeFile(
      join(migrationsDir, name, 'migration.sql'),
      `CREATE TABLE "Half" ("id" TEXT);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" INT;\n`,
    );

    await expect(openAndClose({ ...config, migrationsDir })).rejects.toMatchObject({
      code: 'MIGRATION_ERROR',
      message: expect.stringContaining('NoSuchTable'),
    });

    const half = await rawQuery(config, `SELECT to_regclass('"Half"')::text AS found`);
    expect(half).toEqual([{ found: null }]);
    const failed = await rawQuery(
      config,
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL`,
    );
    expect(failed).toEqual([{ migration_name: name }]);
    // The next start names the failed migration and says how to recover, instead of retrying blindly.
    await expect(openAndClose({ ...config, migrationsDir })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringContaining(name),
    });
  });
});

describe('migration sources', () => {
  it('refuses a migrations folder with no migrations', async () => {
    const dataDir = await tempDir('candleflow-migrate-');
    const migrationsDir = join(dataDir, 'empty');
    await mkdir(migrationsDir);

    await expect(openDatabase({ dataDir, migrationsDir })).rejects.toMatchObject({
      code: 'NO_MIGRATIONS',
      message: expect.stringContaining(migrationsDir),
    });
  });

  it('has committed migrations that produce exactly prisma/schema.prisma', async () => {
    const migrationsDir = await copyOfMigrations();

    const created = await createMigration({ name: 'drift', migrationsDir });

    expect(created).toBeUndefined();
  });

  it('creates a new migration from a schema change, named by UTC time', async () => {
    const migrationsDir = await copyOfMigrations();
    const schemaDir = await tempDir('candleflow-schema-');
    const schema = await readFile(join(MIGRATIONS_DIR, '..', 'schema.prisma'), 'utf8');
    const schemaPath = join(schemaDir, 'schema.prisma');
    await writeFile(schemaPath, `${schema}\nmodel Probe {\n  id String @id\n}\n`);

    const created = await createMigration({
      name: 'probe',
      migrationsDir,
      schemaPath,
      now: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
    });

    expect(created).toBe('20300102030405_probe');
    const sql = await readFile(join(migrationsDir, String(created), 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "Probe"');
    expect(sql).not.toContain('CREATE TABLE "User"');
  });
});
