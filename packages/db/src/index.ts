// @candleflow/db: the storage layer shared by server and runner (Prisma over PGlite or PostgreSQL).
export {
  type BackendKind,
  isPostgresUrl,
  pgConfigFromUrl,
  redactUrl,
} from './adapters';
export {
  type Database,
  type DatabaseConfig,
  DatabaseError,
  type DatabaseErrorCode,
  migrate,
  openDatabase,
} from './database';
export * from './generated/client';
export {
  type ApplyOptions,
  MigrationError,
  type MigrationErrorCode,
  type MigrationOutcome,
} from './migrate';
