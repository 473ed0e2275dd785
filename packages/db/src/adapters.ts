// Driver-adapter factories for the two backends: PGlite (embedded) and PostgreSQL (pg), for the
// Prisma client and, with script execution fixed, for the schema engine that runs migrations.
import type { PGlite } from './pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type BackendKind = 'pglite' | 'postgres';

/** True when `url` names a PostgreSQL server (postgres:// or postgresql://). */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Splits a PostgreSQL URL into pg's separate fields. adapter-pg makes its shadow database by
 * spreading `{ ...config, database }`, which a `connectionString` would silently override,
 * pointing the "shadow" at the real database.
 */
export function pgConfigFromUrl(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  const config: pg.PoolConfig = {
    host: decodeURIComponent(parsed.hostname) || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
  if (parsed.username) config.user = decodeURIComponent(parsed.username);
  if (parsed.password) config.password = decodeURIComponent(parsed.password);
  if (sslmode && sslmode !== 'disable' && sslmode !== 'prefer' && sslmode !== 'allow') {
    config.ssl = { rejectUnauthorized: sslmode === 'verify-full' || sslmode === 'verify-ca' };
  }
  return config;
}

/** Redacts the password so a URL can appear in an error message or a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

/** Replaces an adapter's executeScript, keeping every other method bound to the original. */
function withScriptRunner(
  adapter: SqlDriverAdapter,
  run: (sql: string) => Promise<unknown>,
  onDispose?: () => Promise<void>,
): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'executeScript') return async (sql: string) => void (await run(sql));
      if (prop === 'dispose' && onDispose) {
        return async () => {
          await target.dispose();
          await onDispose();
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A migration adapter factory that can release every connection it opened. */
export interface MigrationFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Disposes the adapters the engine opened (it does not always dispose them itself). */
  disposeAll(): Promise<void>;
}

function tracking(
  base: Omit<MigrationFactory, 'disposeAll' | 'connect' | 'connectToShadowDb'>,
  connect: () => Promise<SqlDriverAdapter>,
  connectToShadowDb: () => Promise<SqlDriverAdapter>,
): MigrationFactory {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    return Object.assign(Object.create(adapter) as SqlDriverAdapter, {
      dispose: async () => {
        if (open.delete(adapter)) await dispose();
      },
    });
  };
  return {
    ...base,
    connect: async () => track(await connect()),
    connectToShadowDb: async () => track(await connectToShadowDb()),
    disposeAll: async () => {
      const pending = [...open];
      open.clear();
      await Promise.allSettled(pending.map((adapter) => adapter.dispose()));
    },
  };
}

/**
 * Migration factory for PGlite. pglite-prisma-adapter's executeScript neither awaits PGlite's
 * exec nor rejects when it fails, which would let a broken migration be recorded as applied;
 * here scripts run through `exec` (one simple-protocol batch, atomic) and errors propagate.
 */
export function pgliteMigrationFactory(db: PGlite, makeShadow: () => Promise<PGlite>): MigrationFactory {
  const inner = new PrismaPGlite(db);
  return tracking(
    { provider: inner.provider, adapterName: inner.adapterName },
    async () => withScriptRunner(await inner.connect(), (sql) => db.exec(sql)),
    async () => {
      const shadow = await makeShadow();
      const adapter = await new PrismaPGlite(shadow).connect();
      return withScriptRunner(
        adapter,
        (sql) => shadow.exec(sql),
        () => shadow.close(),
      );
    },
  );
}

/**
 * Migration factory for PostgreSQL. adapter-pg's executeScript splits the script on every `;`
 * (breaking semicolons inside literals and bodies) and sends the pieces to whichever pooled
 * connection is free; sending the whole script as one simple query keeps it intact and atomic.
 */
export function postgresMigrationFactory(url: string): MigrationFactory {
  const inner = new PrismaPg(pgConfigFromUrl(url));
  const runOn = (adapter: SqlDriverAdapter) => {
    const pool = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
    return (sql: string) => pool.query(sql);
  };
  return tracking(
    { provider: inner.provider, adapterName: inner.adapterName },
    async () => {
      const adapter = await inner.connect();
      return withScriptRunner(adapter, runOn(adapter));
    },
    async () => {
      const adapter = await inner.connectToShadowDb();
      return withScriptRunner(adapter, runOn(adapter));
    },
  );
}
