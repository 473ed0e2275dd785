// Opens Candleflow's database: embedded PGlite under DATA_DIR/db by default, PostgreSQL when a
// postgres:// URL is given; either way migrated to the committed schema before it is returned.
import { constants } from 'node:fs';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import {
  type BackendKind,
  isPostgresUrl,
  pgConfigFromUrl,
  pgliteMigrationFactory,
  postgresMigrationFactory,
  redactUrl,
} from './adapters';
import { PrismaClient } from './generated/client';
import { type ApplyOptions, applyMigrations, type MigrationOutcome } from './migrate';
import { createPGlite, type PGlite } from './pglite';

export interface DatabaseConfig extends ApplyOptions {
  /** postgres:// or postgresql:// → PostgreSQL; absent → embedded PGlite in `${dataDir}/db`. */
  url?: string | undefined;
  dataDir: string;
}

export interface Database {
  prisma: PrismaClient;
  kind: BackendKind;
  /** The migrations this open applied (empty when the database was already up to date). */
  migrations: MigrationOutcome;
  close(): Promise<void>;
}

export type DatabaseErrorCode =
  | 'DATA_DIR_NOT_WRITABLE'
  | 'DATABASE_IN_USE'
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_AUTH_FAILED'
  | 'DATABASE_MISSING'
  | 'DATABASE_URL_INVALID';

export class DatabaseError extends Error {
  override name = 'DatabaseError';
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// Any fixed 64-bit key works; it only has to differ from the schema engine's own lock key.
const MIGRATION_LOCK_KEY = 4_210_337_001;
const CONNECT_TIMEOUT_MS = 5_000;

/** Opens (creating and migrating on first use) the database the config names. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url !== undefined && config.url !== '') {
    if (!isPostgresUrl(config.url)) {
      throw new DatabaseError(
        'DATABASE_URL_INVALID',
        `DATABASE_URL must start with postgres:// or postgresql:// (got "${redactUrl(config.url)}"). Unset it to use the embedded database in DATA_DIR.`,
      );
    }
    return openPostgres(config.url, config);
  }
  return openPGlite(config.dataDir, config);
}

/** Applies pending migrations to the database the config names, then closes it. */
export async function migrate(config: DatabaseConfig): Promise<MigrationOutcome> {
  const db = await openDatabase(config);
  await db.close();
  return db.migrations;
}

async function openPostgres(url: string, options: ApplyOptions): Promise<Database> {
  const config = pgConfigFromUrl(url);
  const where = `${config.host}:${config.port}`;
  const lockClient = new pg.Client({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await lockClient.connect().catch((error: unknown) => {
    throw explainPostgresError(error, where, String(config.database), String(config.user ?? ''));
  });
  let migrations: MigrationOutcome;
  try {
    // Several servers and runners may start at once; one migrates while the others wait.
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    migrations = await applyMigrations(postgresMigrationFactory(url), options);
  } finally {
    await lockClient.end().catch(() => {});
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(config) });
  return {
    prisma,
    kind: 'postgres',
    migrations,
    close: () => prisma.$disconnect(),
  };
}

function explainPostgresError(error: unknown, where: string, database: string, user: string): DatabaseError {
  const { code, message } = error as { code?: string; message?: string };
  if (code === '28P01' || code === '28000') {
    return new DatabaseError(
      'DATABASE_AUTH_FAILED',
      `PostgreSQL at ${where} refused user "${user}" (${message}). Check the user name and password in DATABASE_URL.`,
      { cause: error },
    );
  }
  if (code === '3D000') {
    return new DatabaseError(
      'DATABASE_MISSING',
      `PostgreSQL at ${where} has no database "${database}". Create it (createdb -h ${where.split(':')[0]} ${database}) or fix the database name in DATABASE_URL.`,
      { cause: error },
    );
  }
  return new DatabaseError(
    'DATABASE_UNREACHABLE',
    `Cannot reach PostgreSQL at ${where} (${code ?? message ?? 'no answer'}). Check that the server is running and listening there (pg_lsclusters; listen_addresses and port in postgresql.conf), that no firewall blocks it, and the host and port in DATABASE_URL.`,
    { cause: error },
  );
}

async function openPGlite(dataDir: string, options: ApplyOptions): Promise<Database> {
  const dir = join(resolve(dataDir), 'db');
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new DatabaseError(
      'DATA_DIR_NOT_WRITABLE',
      `Cannot create or write the embedded database folder ${dir} (${(error as Error).message}). Set DATA_DIR to a writable folder, or fix the folder's permissions.`,
      { cause: error },
    );
  }
  const releaseLock = await lockDataDir(dir);
  let db: PGlite | undefined;
  try {
    db = await createPGlite(dir);
    const migrations = await applyMigrations(
      pgliteMigrationFactory(db, () => createPGlite()),
      options,
    );
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    const opened = db;
    return {
      prisma,
      kind: 'pglite',
      migrations,
      close: async () => {
        await prisma.$disconnect();
        await opened.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    await releaseLock();
    throw error;
  }
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A pid file says who holds it; a holder that no longer runs is taken over.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = join(dir, 'candleflow.pid');
  const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
    throw new DatabaseError(
      'DATABASE_IN_USE',
      `The embedded database in ${dir} is in use by process ${holder}${holder === process.pid ? ' (this process: close the other Database first)' : ''}. Stop that process, or give this one another DATA_DIR; to share a database between processes use PostgreSQL (DATABASE_URL).`,
    );
  }
  await writeFile(lockPath, String(process.pid));
  return async () => {
    await rm(lockPath, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
