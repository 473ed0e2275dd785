// What the optimization jobs need from storage. packages/db implements it on Prisma (Optimization,
// OptimizationTrial and TrialResult rows); writes come in batches, so ten thousand trials are a few
// hundred statements, not ten thousand.
import type { BestTrial, ParamSet, TrialMetrics } from '@candleflow/optimize';
import type { RunResult, RunStatus, RunToProcess } from '../run-store';

export type StoredPhase = 'SEARCH' | 'IN_SAMPLE' | 'OUT_OF_SAMPLE';

/** An Optimization row with what the jobs read from its strategy version and dataset. */
export interface OptimizationToRun {
  readonly id: string;
  readonly ownerId: string;
  readonly status: RunStatus;
  readonly attempts: number;
  /** OptimizeSpec, defaults filled in by the server. */
  readonly spec: unknown;
  /** BacktestRunSettings without paramValues: what every trial shares. */
  readonly settings: unknown;
  readonly settingsHash: string;
  readonly strategyVersion: { readonly id: string; readonly graph: unknown };
  readonly dataset: RunToProcess['dataset'];
}

/** A trial as the parent plans it. */
export interface PlannedTrial {
  readonly index: number;
  readonly phase: StoredPhase;
  readonly fold: number | null;
  readonly params: ParamSet;
  readonly resultKey: string;
}

/** What evaluating (or reusing) a trial decided. metrics null: the trial failed, note says why. */
export interface TrialOutcome {
  readonly index: number;
  readonly objective: number | null;
  readonly feasible: boolean;
  readonly note: string | null;
  readonly metrics: TrialMetrics | null;
  readonly cached: boolean;
}

export interface StoredTrial extends PlannedTrial {
  readonly objective: number | null;
  readonly feasible: boolean;
  readonly note: string | null;
  readonly metrics: TrialMetrics | null;
  readonly cached: boolean;
  readonly evaluated: boolean;
}

/** A computed trial, shared by every optimization that asks for the same key. */
export interface TrialResultRecord {
  readonly key: string;
  readonly metrics: TrialMetrics;
  /** periodReturns of the equity curve, encodeReturns'd. */
  readonly returns: Uint8Array;
  readonly engineVersion: string;
  readonly cpuMs: number;
}

export interface OptimizationProgressRow {
  /** 0..1 */
  readonly progress: number;
  readonly totalTrials: number;
  readonly doneTrials: number;
  readonly cachedTrials: number;
  readonly stage: string;
  readonly best: BestTrial | null;
}

/** Writes that end or advance the optimization are fenced by the attempt markRunning recorded. */
export interface OptimizationStore {
  loadOptimization(id: string): Promise<OptimizationToRun | null>;
  status(id: string): Promise<RunStatus | null>;
  /** QUEUED or RUNNING → RUNNING with attempts = attempt; false when it has ended (do not run it). */
  markRunning(id: string, attempt: number): Promise<boolean>;
  /** Trials planned so far in index order, all or those with from ≤ index < to. */
  loadTrials(id: string, range?: { readonly from: number; readonly to: number }): Promise<StoredTrial[]>;
  /** Which of these trial indices are evaluated: indices only, no trial rows read. */
  evaluatedIndices(id: string, indices: readonly number[]): Promise<Set<number>>;
  /** Inserts trials; indices that exist already are left as they are. */
  planTrials(id: string, trials: readonly PlannedTrial[]): Promise<void>;
  /** Stored results for these keys (missing keys are absent from the map). */
  findResults(keys: readonly string[]): Promise<Map<string, TrialResultRecord>>;
  /** Inserts results; a key stored already keeps its first result. */
  saveResults(results: readonly TrialResultRecord[]): Promise<void>;
  /** Sets each trial's outcome and evaluatedAt. */
  saveOutcomes(id: string, outcomes: readonly TrialOutcome[]): Promise<void>;
  saveProgress(id: string, attempt: number, progress: OptimizationProgressRow): Promise<void>;
  /** Stores the best parameters' whole-dataset backtest as a SUCCEEDED BacktestRun; returns its id. */
  saveFinalRun(
    id: string,
    run: {
      readonly settings: unknown;
      readonly settingsHash: string;
      readonly cacheKey: string;
      readonly engineVersion: string;
      readonly result: RunResult;
    },
  ): Promise<string>;
  /** RUNNING with this attempt → SUCCEEDED with the report; false when another attempt owns it or it ended. */
  saveReport(
    id: string,
    attempt: number,
    report: unknown,
    progress: OptimizationProgressRow,
    finalRunId: string | null,
  ): Promise<boolean>;
  saveFailure(id: string, attempt: number, error: string): Promise<boolean>;
  /** QUEUED or RUNNING → CANCELED. */
  markCanceled(id: string): Promise<void>;
}
