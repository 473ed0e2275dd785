// The messages between the trial pool (trial-pool.ts) and its threads (pool-entry.ts).
import type { ParamSet } from '@candleflow/optimize';
import type { RunResult, RunToProcess } from '../run-store';
import type { BacktestRunSettings } from '../processors/execute';
import type { TrialEvaluation, TrialTask } from './evaluate';

/** What every trial of one optimization shares; a thread keeps the last few it saw (by key). */
export interface TrialContext {
  /** The optimization id. */
  readonly key: string;
  readonly graph: unknown;
  /** Without paramValues: each trial brings its own. */
  readonly settings: BacktestRunSettings;
  readonly dataset: RunToProcess['dataset'];
}

export type PoolRequest =
  | {
      readonly type: 'trials';
      readonly id: number;
      readonly context: TrialContext;
      readonly tasks: readonly TrialTask[];
      readonly cpuLimitMs: number;
    }
  | {
      readonly type: 'final';
      readonly id: number;
      readonly context: TrialContext;
      readonly params: ParamSet;
      readonly cpuLimitMs: number;
    };

/** The best parameters' whole-dataset backtest, with what Monte Carlo needs from it. */
export interface FinalRun {
  readonly result: RunResult;
  readonly tradePnls: number[];
  /** Simple return of each bar over the one before. */
  readonly barReturns: Float64Array;
}

export type PoolReply =
  | { readonly type: 'trials'; readonly id: number; readonly results: TrialEvaluation[] }
  | { readonly type: 'final'; readonly id: number; readonly run: FinalRun | null }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly permanent: boolean };
