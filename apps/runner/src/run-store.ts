// What the backtest processor needs from storage. packages/db implements it on Prisma (BacktestRun rows);
// the runner never talks to the database any other way.
import type { EquityPoint, Metrics, Trade } from '@candleflow/engine';

export type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

/** A BacktestRun with what the processor reads from its strategy version and dataset. */
export interface RunToProcess {
  readonly id: string;
  readonly ownerId: string;
  readonly status: RunStatus;
  readonly attempts: number;
  /** BacktestRun.settings: see BacktestRunSettings in processors/backtest.ts. */
  readonly settings: unknown;
  readonly cacheKey: string;
  readonly strategyVersion: {
    readonly id: string;
    readonly contentHash: string;
    /** The graph JSON as saved (GraphInput). */
    readonly graph: unknown;
  };
  readonly dataset: {
    readonly id: string;
    readonly dataHash: string;
    readonly symbol: string;
    readonly timeframe: string;
    readonly bars: number;
    /** Relative to DATA_DIR/datasets. */
    readonly storagePath: string;
  };
}

export interface RunResult {
  readonly metrics: Metrics;
  /** Downsampled for charts (at most a few thousand points, extremes kept). */
  readonly equity: readonly EquityPoint[];
  readonly trades: readonly Trade[];
  readonly warnings: readonly string[];
  readonly provenance: unknown;
  readonly bars: number;
  readonly cpuMs: number;
}

/**
 * Writes are fenced by the attempt number markRunning recorded: a runner presumed dead that wakes up
 * late cannot overwrite what its successor stored, so every run ends exactly once.
 */
export interface RunStore {
  loadRun(runId: string): Promise<RunToProcess | null>;
  /** QUEUED or RUNNING → RUNNING with attempts = attempt; false when the run has ended (do not run it). */
  markRunning(runId: string, attempt: number): Promise<boolean>;
  /** fraction in 0..1. */
  saveProgress(runId: string, attempt: number, fraction: number): Promise<void>;
  /** RUNNING with this attempt → SUCCEEDED; false when another attempt owns the run or it has ended. */
  saveResult(runId: string, attempt: number, result: RunResult): Promise<boolean>;
  /** RUNNING with this attempt → FAILED with the message; false as for saveResult. */
  saveFailure(runId: string, attempt: number, error: string): Promise<boolean>;
  /** QUEUED or RUNNING → CANCELED. */
  markCanceled(runId: string): Promise<void>;
  /** A SUCCEEDED run with this cache key that computed its own result, other than runId. */
  findCached(cacheKey: string, runId: string): Promise<{ readonly runId: string } | null>;
  /** RUNNING with this attempt → SUCCEEDED with resultOfRunId = cachedRunId and that run's result. */
  saveCachedResult(runId: string, attempt: number, cachedRunId: string): Promise<boolean>;
}
