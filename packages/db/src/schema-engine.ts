// Drives Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) through a
// driver adapter, so migrations are created and applied with no native engine download.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

/** The repository's prisma folder (schema.prisma and migrations/). */
export const PRISMA_DIR = fileURLToPath(new URL('../../../prisma', import.meta.url));
export const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// lib has no DOM, and @types/node 20 declares WebAssembly only as a namespace of types.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: object };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type WasmBindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let bindings: Promise<WasmBindings> | undefined;

// The package's own entry imports the .wasm file as an ES module, which Node only allows behind
// --experimental-wasm-modules; instantiating the module by hand against its JS glue avoids that.
function loadBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue: WasmBindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), {
      './schema_engine_bg.js': glue,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  return bindings;
}

/** A running schema engine plus the error registry its adapter reports through. */
export interface SchemaEngineSession {
  /** Runs an engine command, turning the engine's "External error id#N" into the adapter's error. */
  run<T>(command: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  free(): void;
}

/** Starts a schema engine connected through the given adapter factory; free() it when done. */
export async function startSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema?: string,
  log: (line: string) => void = () => {},
): Promise<SchemaEngineSession> {
  const { SchemaEngine } = await loadBindings();
  const datamodels: [string, string][] | undefined = schema ? [['schema.prisma', schema]] : undefined;
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const explain = (error: unknown): unknown => {
    const id = error instanceof Error ? /External error id#(\d+)/.exec(error.message)?.[1] : undefined;
    const record = id === undefined ? undefined : bound.errorRegistry.consumeError(Number(id));
    if (!record) return error;
    const cause = record.error as { kind?: string; message?: string; originalMessage?: string };
    const detail = cause.originalMessage ?? cause.message ?? JSON.stringify(cause);
    return new Error(`${cause.kind ? `${cause.kind}: ` : ''}${detail}`, { cause: error });
  };
  const engine = await SchemaEngine.new({ datamodels }, log, bound).catch((error: unknown) => {
    throw explain(error);
  });
  return {
    run: (command) =>
      command(engine).catch((error: unknown) => {
        throw explain(error);
      }),
    free: () => engine.free(),
  };
}

/** Reads a migrations folder the way Prisma's CLI does: one sorted entry per sub-folder. */
export async function readMigrationsList(dir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const baseDir = resolve(dir);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => {
        const content = await readFile(join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: entry.name, migrationFile: { path: 'migration.sql', content } };
      }),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    migrationDirectories,
    shadowDbInitScript: '',
  };
}
