// The shapes optimization procedures return, and the trial phase names of the API (lower case, as in
// @candleflow/optimize) beside the database's enum.
import {
  type BestTrial,
  describeObjective,
  type OptimizationReport,
  type OptimizeSpec,
  type TrialPhase,
} from '@candleflow/optimize';
import type { StrategyParam } from '@candleflow/strategy-dsl';
import { z } from 'zod';

export type DbTrialPhase = 'SEARCH' | 'IN_SAMPLE' | 'OUT_OF_SAMPLE';

export const TRIAL_PHASES = ['search', 'in_sample', 'out_of_sample'] as const satisfies readonly TrialPhase[];

export const DB_PHASE: Record<TrialPhase, DbTrialPhase> = {
  search: 'SEARCH',
  in_sample: 'IN_SAMPLE',
  out_of_sample: 'OUT_OF_SAMPLE',
};

export const API_PHASE: Record<DbTrialPhase, TrialPhase> = {
  SEARCH: 'search',
  IN_SAMPLE: 'in_sample',
  OUT_OF_SAMPLE: 'out_of_sample',
};

export const optimizationId = z.string().trim().min(1).max(64);

type Status = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

/** The columns every view reads (the report only where it is shown). */
export interface OptimizationRow {
  readonly id: string;
  readonly status: Status;
  readonly progress: number;
  readonly stage: string;
  readonly totalTrials: number;
  readonly doneTrials: number;
  readonly cachedTrials: number;
  readonly best: unknown;
  readonly error: string | null;
  readonly spec: unknown;
  readonly strategyVersionId: string;
  readonly datasetId: string;
  readonly queuedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly finalRunId: string | null;
}

/** Status and progress: what a poller and the cancel call see. */
export function optimizationStatusView(row: OptimizationRow) {
  return {
    id: row.id,
    status: row.status,
    progress: row.progress,
    stage: row.stage,
    totalTrials: row.totalTrials,
    doneTrials: row.doneTrials,
    cachedTrials: row.cachedTrials,
    best: (row.best ?? null) as BestTrial | null,
    error: row.error,
  };
}

/** One line of the optimizations list. */
export function optimizationSummaryView(
  row: OptimizationRow & { strategyVersion: { number: number }; dataset: { name: string } },
) {
  const spec = row.spec as OptimizeSpec;
  return {
    id: row.id,
    status: row.status,
    progress: row.progress,
    doneTrials: row.doneTrials,
    totalTrials: row.totalTrials,
    method: spec.method,
    objectiveLabel: describeObjective(spec.objective),
    best: (row.best ?? null) as BestTrial | null,
    error: row.error,
    datasetName: row.dataset.name,
    queuedAt: row.queuedAt,
    finishedAt: row.finishedAt,
    versionNumber: row.strategyVersion.number,
  };
}

/** Everything the studio's optimization page shows, the report included. */
export function optimizationView(
  row: OptimizationRow & {
    report: unknown;
    strategyVersion: { number: number; strategyId: string; params: unknown };
    dataset: { name: string };
  },
) {
  const spec = row.spec as OptimizeSpec;
  return {
    ...optimizationStatusView(row),
    report: (row.report ?? null) as OptimizationReport | null,
    spec,
    objectiveLabel: describeObjective(spec.objective),
    strategyId: row.strategyVersion.strategyId,
    strategyVersionId: row.strategyVersionId,
    versionNumber: row.strategyVersion.number,
    datasetId: row.datasetId,
    datasetName: row.dataset.name,
    params: row.strategyVersion.params as StrategyParam[],
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    finalRunId: row.finalRunId,
  };
}
export type OptimizationView = ReturnType<typeof optimizationView>;
