// What an optimization request is and the checks it passes before any job starts: the strategy compiles,
// the ranges make a search space, the search is not absurdly large, the dataset is long enough for the
// walk-forward windows, and the trials fit the quotas. estimate and submit share it, so what the form's
// estimate accepts is exactly what submit accepts.
import {
  buildSearchSpace,
  type OptimizeSpec,
  OptimizeSpecSchema,
  planSearch,
  type SearchSpace,
  type SpaceIssue,
  walkForwardWindows,
} from '@candleflow/optimize';
import {
  type BacktestRunSettings,
  checkQuota,
  optimizationWarmupBars,
  QuotaExceededError,
} from '@candleflow/runner';
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, requireOwned } from '../../trpc';
import { backtestSettingsInput, toRunSettings } from '../backtests/settings';
import { type CheckedGraph, checkGraph } from '../strategies/graph';
import { optimizationId } from './views';

export const optimizationRequestInput = z.strictObject({
  strategyVersionId: optimizationId,
  datasetId: optimizationId,
  spec: OptimizeSpecSchema.default(OptimizeSpecSchema.parse({})),
  /** Backtest settings every trial shares; the parameters are what the optimization searches. */
  settings: backtestSettingsInput.default(backtestSettingsInput.parse({})),
});
export type OptimizationRequest = z.infer<typeof optimizationRequestInput>;

/** A SpaceIssue with its path into the request (`spec.ranges.fast.min`), as validation errors give it. */
export type RequestIssue = SpaceIssue;

export interface CheckedRequest {
  readonly version: Awaited<ReturnType<typeof requireOwned<'strategyVersion'>>>;
  readonly dataset: Awaited<ReturnType<typeof requireOwned<'dataset'>>>;
  readonly graph: CheckedGraph;
  readonly spec: OptimizeSpec;
  /** BacktestRun settings without paramValues: what Optimization.settings stores. */
  readonly settings: Omit<BacktestRunSettings, 'paramValues'>;
  readonly space: SearchSpace;
  /** Bars left before every window for the longest warm-up the search can choose. */
  readonly warmupBars: number;
  /** Trials of one search (on the whole dataset, or on one fold's in-sample window). */
  readonly searchTrials: number;
  /** Combinations of a grid before constraints; null for random and Bayesian search. */
  readonly gridSize: number | null;
  /** Walk-forward folds; 0 without walk-forward. */
  readonly folds: number;
  /** Every trial the optimization runs: the search, the search of each fold, each fold's out-of-sample test. */
  readonly totalTrials: number;
  readonly warnings: readonly string[];
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A sentence: capitalised, ending in a full stop unless it ends in other punctuation. */
const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.?!]$/.test(capital) ? capital : `${capital}.`;
};

/** BAD_REQUEST naming the first problem and where it is; every problem is in details.issues. */
function refuse(issues: readonly RequestIssue[], details: Record<string, unknown> = {}): never {
  const first = issues[0];
  const more = issues.length > 1 ? ` (${plural(issues.length - 1, 'more problem')} in details.issues)` : '';
  const message = first
    ? `Cannot optimize: ${first.path}: ${sentence(first.message)}${first.hint ? ` ${sentence(first.hint)}` : ''}${more}`
    : 'Cannot optimize this request.';
  throw new ApiError('BAD_REQUEST', message, { ...details, issues });
}

const SPEC_FIELDS = new Set(Object.keys(OptimizeSpecSchema.shape));

/**
 * Paths of the search space's issues, into the request: `ranges.fast.min` is `spec.ranges.fast.min`.
 * Issues of the strategy itself (`params.fast.step`, `constraints[0]`) keep their paths.
 */
const inRequest = (issues: readonly SpaceIssue[]): RequestIssue[] =>
  issues.map((issue) => {
    const field = /^[A-Za-z]+/.exec(issue.path)?.[0] ?? '';
    return SPEC_FIELDS.has(field) ? { ...issue, path: `spec.${issue.path}` } : issue;
  });

/** Settings fields an optimization decides itself: refused rather than silently overridden. */
function settingsIssues(settings: OptimizationRequest['settings']): RequestIssue[] {
  const issues: RequestIssue[] = [];
  for (const name of Object.keys(settings.paramValues)) {
    issues.push({
      path: `settings.paramValues.${name}`,
      message: 'parameter values are what an optimization searches, so they cannot be set in its settings',
      hint: `to hold ${name} at one value, set spec.ranges.${name} to { "fixed": value }`,
    });
  }
  for (const field of ['from', 'to'] as const) {
    if (settings[field] !== undefined) {
      issues.push({
        path: `settings.${field}`,
        message: 'an optimization runs over the whole dataset (walk-forward splits it into windows itself)',
        hint: 'to optimize part of the data, make a dataset of that period',
      });
    }
  }
  return issues;
}

function checkQuotas(
  ctx: ProtectedContext,
  bars: number,
  totalTrials: number,
  folds: number,
  searchTrials: number,
) {
  try {
    // Each trial is a backtest of the dataset: it must fit the per-job bar quota like any backtest.
    checkQuota({ bars }, { barsPerJob: ctx.env.QUOTA_BARS_PER_JOB });
  } catch (error) {
    if (error instanceof QuotaExceededError) {
      const message = `Over your quota: each trial backtests the whole dataset of ${plural(bars, 'bar')}; the limit per job is ${plural(error.limit, 'bar')}. Use a shorter dataset or a higher timeframe.`;
      throw new ApiError('QUOTA_EXCEEDED', message, {
        quota: error.quota,
        limit: error.limit,
        actual: error.actual,
      });
    }
    throw error;
  }
  const limit = ctx.env.QUOTA_TRIALS_PER_OPTIMIZATION;
  if (totalTrials > limit) {
    const breakdown =
      folds > 0
        ? ` (${plural(searchTrials, 'trial')} on the whole dataset and again in each of ${plural(folds, 'walk-forward fold')}, plus one out-of-sample test per fold)`
        : '';
    throw new ApiError(
      'QUOTA_EXCEEDED',
      `Over your quota: this optimization would run ${plural(totalTrials, 'trial')}${breakdown}; the limit is ${limit.toLocaleString('en-US')} per optimization. Narrow the ranges or coarsen their steps, use random or Bayesian search with fewer trials, or use fewer walk-forward folds.`,
      { quota: 'trials_per_optimization', limit, actual: totalTrials },
    );
  }
}

/** Runs every check of an optimization request; throws the first kind of problem found, with all its issues. */
export async function checkRequest(
  ctx: ProtectedContext,
  input: OptimizationRequest,
): Promise<CheckedRequest> {
  // Public strategies may be optimized by anyone signed in, as they may be backtested; the result is the caller's.
  const version = await requireOwned(ctx, 'strategyVersion', input.strategyVersionId, { allowPublic: true });
  const dataset = await requireOwned(ctx, 'dataset', input.datasetId);
  const badSettings = settingsIssues(input.settings);
  if (badSettings.length > 0) refuse(badSettings);
  const { backtest } = toRunSettings(input.settings);

  // COMPILE_FAILED names the node; a saved version normally compiles, but the catalog may have moved on.
  const graph = checkGraph(version.graph, ctx.env.MAX_GRAPH_NODES);
  const spec = input.spec;
  const built = buildSearchSpace(graph.params, graph.graph.constraints, spec.ranges);
  if (!built.ok) refuse(inRequest(built.issues));
  const plan = planSearch(built.space, spec);
  if (!plan.ok) refuse(inRequest(plan.issues));

  // The longest warm-up any searched parameter set needs, computed as the runner computes it.
  const warmupBars = optimizationWarmupBars(graph.graph, built.space, dataset);
  let folds = 0;
  if (spec.walkForward) {
    const windows = walkForwardWindows(dataset.bars, warmupBars, spec.walkForward);
    if (!windows.ok) {
      refuse(
        [
          {
            path: 'spec.walkForward',
            message: `dataset "${dataset.name}" is too short for ${plural(spec.walkForward.folds, 'walk-forward fold')}: ${windows.message}`,
            hint: windows.hint,
          },
        ],
        { neededBars: windows.neededBars, bars: dataset.bars, warmupBars },
      );
    }
    folds = windows.folds.length;
  }
  const totalTrials = plan.trials * (1 + folds) + folds;
  checkQuotas(ctx, dataset.bars, totalTrials, folds, plan.trials);

  return {
    version,
    dataset,
    graph,
    spec,
    settings: { backtest },
    space: built.space,
    warmupBars,
    searchTrials: plan.trials,
    gridSize: plan.gridSize,
    folds,
    totalTrials,
    warnings: plan.warnings,
  };
}
