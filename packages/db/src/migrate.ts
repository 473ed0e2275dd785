// Applies the committed migrations in prisma/migrations with Prisma's schema engine (WebAssembly),
// which records them with checksums in Prisma's own `_prisma_migrations` table.
import type { MigrationFactory } from './adapters';
import { MIGRATIONS_DIR, NO_FILTER, readMigrationsList, startSchemaEngine } from './schema-engine';

export type MigrationErrorCode =
  | 'NO_MIGRATIONS'
  | 'MIGRATION_EDITED'
  | 'MIGRATION_FAILED'
  | 'DATABASE_AHEAD'
  | 'MIGRATION_ERROR';

export class MigrationError extends Error {
  override name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface MigrationOutcome {
  /** Folder names of the migrations applied by this call, oldest first (empty when up to date). */
  applied: string[];
}

export interface ApplyOptions {
  /** Defaults to the repository's prisma/migrations. */
  migrationsDir?: string;
}

/**
 * Applies every pending migration, idempotently. Refuses (before touching the schema) when an
 * applied migration's file was edited, when one failed earlier, or when the database holds
 * migrations this code does not have: each means the code and the database disagree.
 */
export async function applyMigrations(
  factory: MigrationFactory,
  options: ApplyOptions = {},
): Promise<MigrationOutcome> {
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const migrationsList = await readMigrationsList(migrationsDir);
  if (migrationsList.migrationDirectories.length === 0 || migrationsList.lockfile.content === null) {
    throw new MigrationError(
      'NO_MIGRATIONS',
      `No migrations found in ${migrationsDir} (expected <timestamp>_<name>/migration.sql folders and migration_lock.toml). Restore the folder from the repository.`,
    );
  }
  const engine = await startSchemaEngine(factory);
  try {
    const diagnosis = await engine.run((e) =>
      e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
    );
    if (diagnosis.failedMigrationNames.length > 0) {
      throw new MigrationError(
        'MIGRATION_FAILED',
        `Migration ${diagnosis.failedMigrationNames.join(', ')} failed earlier and is marked failed in _prisma_migrations. Inspect the database, fix it by hand, then delete that row (or set rolled_back_at) and start again.`,
      );
    }
    if (diagnosis.editedMigrationNames.length > 0) {
      throw new MigrationError(
        'MIGRATION_EDITED',
        `Applied migration ${diagnosis.editedMigrationNames.join(', ')} was modified after it was applied (its checksum no longer matches _prisma_migrations). Restore the original migration.sql from git and put the change in a new migration (node --import tsx tools/prisma-migrate-dev.ts <name>).`,
      );
    }
    const history = diagnosis.history;
    if (history?.diagnostic === 'migrationsDirectoryIsBehind' || history?.diagnostic === 'historiesDiverge') {
      throw new MigrationError(
        'DATABASE_AHEAD',
        `The database has migrations this code does not know (${history.unpersistedMigrationNames.join(', ')}): it was migrated by a newer version of Candleflow. Run that version, or restore a backup made before it.`,
      );
    }
    const result = await engine.run((e) => e.applyMigrations({ migrationsList, filters: NO_FILTER }));
    return { applied: result.appliedMigrationNames };
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(
      'MIGRATION_ERROR',
      `Applying migrations from ${migrationsDir} failed: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    engine.free();
    await factory.disposeAll();
  }
}
