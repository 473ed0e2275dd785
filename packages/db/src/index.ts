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
export {
  createOptimizationStore,
  type FinalRunRow,
  type OptimizationProgressFields,
  type PlannedTrialRow,
  type PrismaOptimizationStore,
  type StoredOptimization,
  type StoredTrialRow,
  type TrialOutcomeRow,
  type TrialResultRow,
} from './optimization-store';
export {
  createRunStore,
  type PrismaRunStore,
  type StoredRun,
  type StoredRunResult,
} from './run-store';
// Test helpers (real PostgreSQL from tools/test-setup.mjs, throwaway PGlite); used by tests only.
export {
  BACKENDS,
  createTestPostgresDatabase,
  openTestDatabase,
  type TestPostgresDatabase,
  type TestServices,
  testServices,
} from './test-support/services';
