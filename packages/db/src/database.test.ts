import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPostgresUrl, pgConfigFromUrl, redactUrl } from './adapters';
import { DatabaseError, migrate, openDatabase } from './database';
import { testServices } from './test-support/services';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'candleflow-open-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('openDatabase with the embedded database', () => {
  it('creates the database under DATA_DIR/db on first start and keeps data across restarts', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');

    const first = await openDatabase({ dataDir });
    await first.prisma.user.create({ data: { email: 'kept@example.test', passwordHash: 'x' } });
    await first.close();
    const second = await openDatabase({ dataDir });
    const users = await second.prisma.user.findMany({ select: { email: true } });
    await second.close();

    expect(first.kind).toBe('pglite');
    expect(second.migrations.applied).toEqual([]);
    expect(users).toEqual([{ email: 'kept@example.test' }]);
  });

  it('refuses a second open of the same folder while the first is open', async () => {
    const dataDir = await tempDir();
    const first = await openDatabase({ dataDir });
    cleanups.push(() => first.close());

    const second = openDatabase({ dataDir });

    await expect(second).rejects.toBeInstanceOf(DatabaseError);
    await expect(second).rejects.toMatchObject({
      code: 'DATABASE_IN_USE',
      message: expect.stringContaining(String(process.pid)),
    });
  });

  it('takes over a folder whose holder no longer runs', async () => {
    const dataDir = await tempDir();
    await migrate({ dataDir });
    // A pid far above pid_max on Linux cannot belong to a running process.
    await writeFile(join(dataDir, 'db', 'candleflow.pid'), '2147483646');

    const db = await openDatabase({ dataDir });
    await db.close();

    expect(db.kind).toBe('pglite');
  });

  it('says which folder cannot be written and what to do', async () => {
    const parent = await tempDir();
    const file = join(parent, 'not-a-folder');
    await writeFile(file, 'x');

    const attempt = openDatabase({ dataDir: file });

    await expect(attempt).rejects.toMatchObject({
      code: 'DATA_DIR_NOT_WRITABLE',
      message: expect.stringMatching(/not-a-folder.*Set DATA_DIR to a writable folder/s),
    });
  });

  it('migrate() applies pending migrations and reports them, then nothing', async () => {
    const dataDir = await tempDir();

    const first = await migrate({ dataDir });
    const second = await migrate({ dataDir });

    expect(first.applied.length).toBeGreaterThan(0);
    expect(second.applied).toEqual([]);
  });
});

describe('openDatabase with PostgreSQL', () => {
  it('connects and migrates when DATABASE_URL is a postgres URL', async () => {
    const { databaseUrl } = testServices();
    const db = await openDatabase({ url: databaseUrl, dataDir: await tempDir() });
    try {
      const [row] = await db.prisma.$queryRaw<{ version: string }[]>`SELECT version() AS version`;
      expect(db.kind).toBe('postgres');
      expect(row?.version).toMatch(/^PostgreSQL/);
    } finally {
      await db.close();
    }
  });

  it('names host and port and what to check when the server is unreachable', async () => {
    const port = await closedPort();

    const attempt = openDatabase({
      url: `postgres://u:secret@127.0.0.1:${port}/db`,
      dataDir: await tempDir(),
    });

    await expect(attempt).rejects.toMatchObject({
      code: 'DATABASE_UNREACHABLE',
      message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}.*running and listening`, 's')),
    });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('secret') });
  });

  it('says the password was refused when it is wrong', async () => {
    const url = new URL(testServices().databaseUrl);
    url.password = 'wrong-password';

    await expect(openDatabase({ url: url.toString(), dataDir: await tempDir() })).rejects.toMatchObject({
      code: 'DATABASE_AUTH_FAILED',
      message: expect.stringContaining('DATABASE_URL'),
    });
  });

  it('says how to create the database when it does not exist', async () => {
    const url = new URL(testServices().databaseUrl);
    url.pathname = '/candleflow_no_such_db';

    await expect(openDatabase({ url: url.toString(), dataDir: await tempDir() })).rejects.toMatchObject({
      code: 'DATABASE_MISSING',
      message: expect.stringContaining('createdb'),
    });
  });

  it('rejects a DATABASE_URL that is not PostgreSQL, without echoing its password', async () => {
    const attempt = openDatabase({ url: 'mysql://root:hunter2@db/app', dataDir: await tempDir() });

    await expect(attempt).rejects.toMatchObject({ code: 'DATABASE_URL_INVALID' });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('hunter2') });
  });
});

describe('test services', () => {
  it('tells how to set the services up when test-setup has not run', () => {
    expect(() => testServices('/nonexistent/test-services.json')).toThrow(
      /npm test.*tools\/test-setup\.mjs/s,
    );
  });
});

describe('database URLs', () => {
  it('recognises postgres:// and postgresql:// only', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('POSTGRESQL://h/db')).toBe(true);
    expect(isPostgresUrl('file:./dev.db')).toBe(false);
    expect(isPostgresUrl(undefined)).toBe(false);
  });

  it('splits a URL into separate fields, decoding escapes and defaulting the port', () => {
    expect(pgConfigFromUrl('postgresql://us%40er:p%3Ass@db.example:6543/my%20db?sslmode=require')).toEqual({
      host: 'db.example',
      port: 6543,
      database: 'my db',
      user: 'us@er',
      password: 'p:ss',
      ssl: { rejectUnauthorized: false },
    });
    expect(pgConfigFromUrl('postgres://h/db')).toEqual({ host: 'h', port: 5432, database: 'db' });
    expect(pgConfigFromUrl('postgres://h/db?sslmode=verify-full').ssl).toEqual({
      rejectUnauthorized: true,
    });
  });

  it('redacts passwords for messages', () => {
    expect(redactUrl('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
    expect(redactUrl('postgres://h/db')).toBe('postgres://h/db');
    expect(redactUrl('::not a url::')).toBe('<unparseable database URL>');
  });
});
