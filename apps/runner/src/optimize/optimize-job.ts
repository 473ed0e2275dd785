// The `optimize` job (the parent): searches the parameter space in rounds of child `trials` jobs, runs
// the walk-forward folds, backtests the best parameters on the whole dataset, computes the robustness
// statistics and stores the report. It mostly waits; the trials run wherever runners are.
import type { CandleSeries } from '@candleflow/data';
import { backtestSettings, ENGINE_VERSION } from '@candleflow/engine';
import {
  type BarWindow,
  buildSearchSpace,
  createSampler,
  type OptimizationReport,
  type OptimizeSpec,
  OptimizeSpecSchema,
  planSearch,
  type SearchSpace,
  walkForwardWindows,
} from '@candleflow/optimize';
import { type GraphInput, GraphSchema } from '@candleflow/strategy-dsl';
import { DEFAULT_QUOTAS } from '../quota';
import { errorMessage, isShutdown, type JobHandler, type JobQueue, PermanentJobError } from '../queue/queue';
import { runCacheKey, settingsHash } from '../processors/cache-key';
import type { BacktestRunSettings } from '../processors/execute';
import type { Batching } from './batch-size';
import { ChildJobs } from './children';
import { finalRunStatistics, searchStatistics } from './statistics';
import type { OptimizationStore, OptimizationToRun, StoredTrial } from './store';
import { TrialBook } from './trial-book';
import type { TrialPool } from './trial-pool';
import { trialContext } from './trials-job';
import { type FoldResult, walkForwardReport } from './walk-forward';
import { optimizationWarmupBars } from './warmup';

export interface OptimizePayload {
  readonly optimizationId: string;
}

export interface OptimizeProcessorDeps {
  readonly store: OptimizationStore;
  /** Where the child jobs go (the queue this handler is served by). */
  readonly queue: JobQueue;
  /** This process's trial threads: the parent runs the out-of-sample trials and the final run on them. */
  readonly pool: TrialPool;
  readonly loadDataset: (dataset: OptimizationToRun['dataset']) => Promise<CandleSeries>;
  readonly quotas?: { readonly cpuMsPerJob: number };
  /** Child jobs in flight at once (default 16): at least two per runner thread keeps every thread busy. */
  readonly maxInFlight?: number;
  readonly batching?: Partial<Batching>;
  /** How often the parent reads its outstanding batches from the store (ms, default 5,000). */
  readonly checkChildrenEveryMs?: number;
  /** Outstanding batches with no trial evaluated this long are submitted again, once (ms, default 10 min). */
  readonly childLostAfterMs?: number;
  /** Least time between two progress writes to the store (ms, default 1000). */
  readonly progressWriteMs?: number;
}

/** Trials asked of the sampler per round: Bayesian search learns between rounds; the others ask all at once. */
const BAYESIAN_ROUND = 8;
const ROUND = 10_000;

export function createOptimizeProcessor(deps: OptimizeProcessorDeps): JobHandler<OptimizePayload> {
  const { store } = deps;
  return async ({ job, attempt, isFinalAttempt, signal, progress }) => {
    const { optimizationId } = job.payload;
    const optimization = await store.loadOptimization(optimizationId);
    if (!optimization) {
      throw new PermanentJobError(
        `optimization ${optimizationId} does not exist (deleted after it was queued?)`,
      );
    }
    if (!(await store.markRunning(optimizationId, attempt))) return; // ended already: cancelled or finished
    const children = new ChildJobs({
      queue: deps.queue,
      store,
      optimizationId,
      userId: job.userId,
      attempt,
      maxInFlight: deps.maxInFlight ?? 16,
      signal,
      checkEveryMs: deps.checkChildrenEveryMs ?? 5_000,
      lostAfterMs: deps.childLostAfterMs ?? 600_000,
      onBatchEnd: ({ tasks, error }) => book.batchEnded(tasks, error),
    });
    const spec = parseSpec(optimization.spec);
    const book = new TrialBook({
      store,
      optimizationId,
      attempt,
      graph: optimization.strategyVersion.graph as GraphInput,
      dataHash: optimization.dataset.dataHash,
      settingsHash: optimization.settingsHash,
      objective: spec.objective,
      reuseResults: spec.reuseResults,
      batching: { targetBatchMs: 2000, barCostMs: 0.001, ...deps.batching },
      report: (fraction, detail) => progress(fraction, detail),
      progressWriteMs: deps.progressWriteMs ?? 1000,
    });
    try {
      await optimize({ deps, optimization, spec, attempt, signal, book, children });
    } catch (error) {
      if (!signal.aborted) {
        if (error instanceof PermanentJobError || isFinalAttempt) {
          await store.saveFailure(optimizationId, attempt, errorMessage(error));
        }
        throw error;
      }
    }
    if (signal.aborted && !isShutdown(signal)) {
      await children.cancelAll();
      await store.markCanceled(optimizationId);
    }
    // A runner shutting down leaves the optimization RUNNING: the next attempt resumes it.
  };
}

function parseSpec(stored: unknown): OptimizeSpec {
  const parsed = OptimizeSpecSchema.safeParse(stored);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new PermanentJobError(`the stored optimization request is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

type ParsedGraph = ReturnType<typeof GraphSchema.parse>;

interface OptimizeRun {
  readonly deps: OptimizeProcessorDeps;
  readonly optimization: OptimizationToRun;
  readonly spec: OptimizeSpec;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly book: TrialBook;
  readonly children: ChildJobs;
}

async function optimize(run: OptimizeRun): Promise<void> {
  const { deps, optimization, spec, signal, book } = run;
  const graph = GraphSchema.parse(optimization.strategyVersion.graph);
  const space = searchSpaceOf(graph, spec);
  const series = await deps.loadDataset(optimization.dataset);
  const bars = series.time.length;
  const warmupBars = optimizationWarmupBars(graph, space, series);
  const windows = spec.walkForward ? walkForwardWindows(bars, warmupBars, spec.walkForward) : null;
  if (windows && !windows.ok) throw new PermanentJobError(`${windows.message}: ${windows.hint}`);
  const folds = windows?.ok ? windows.folds : [];
  await book.resume();
  book.expectTotal(searchSize(space, spec) * (1 + folds.length) + folds.length);

  await book.setStage('search');
  await searchOn(run, space, { from: 0, to: bars }, 0, 'SEARCH', null, spec.seed);
  if (signal.aborted) return;

  const foldResults: FoldResult[] = [];
  const cpuLimitMs = deps.quotas?.cpuMsPerJob ?? DEFAULT_QUOTAS.cpuMsPerJob;
  const context = trialContext(optimization);
  for (const fold of folds) {
    await book.setStage(`walk-forward fold ${fold.index + 1} of ${folds.length}`);
    const inSample = await searchOn(
      run,
      space,
      fold.inSample,
      warmupBars,
      'IN_SAMPLE',
      fold.index,
      spec.seed + fold.index + 1,
    );
    if (signal.aborted) return;
    const winner = bestOf(inSample);
    let outOfSample: FoldResult['outOfSample'] = null;
    if (winner) {
      // The parent runs the out-of-sample trial itself: its equity curve, needed for stitching, is not stored.
      const planned = book.plan([winner.params], fold.outOfSample, warmupBars, 'OUT_OF_SAMPLE', fold.index);
      await book.register(planned);
      const [evaluation] = await deps.pool.evaluate(context, [{ ...planned[0]!.task, keepEquity: true }], {
        cpuLimitMs,
        signal,
      });
      if (signal.aborted) return;
      const trial = await book.recordOwn(planned[0]!, evaluation ?? null);
      outOfSample = { trial, equity: evaluation?.ok ? (evaluation.equity ?? null) : null };
    }
    foldResults.push({ fold, winner, outOfSample });
  }

  await book.setStage('final run');
  const best = book.bestTrial();
  const initialEquity = backtestSettings((optimization.settings as BacktestRunSettings).backtest ?? {})
    .account.initialCash;
  let finalRunId: string | null = null;
  let monteCarlo: OptimizationReport['monteCarlo'] = null;
  const warnings: string[] = [];
  if (best) {
    const final = await deps.pool.finalRun(context, best.params, { cpuLimitMs, signal });
    if (signal.aborted || !final) return;
    const runSettings: BacktestRunSettings = {
      ...(optimization.settings as BacktestRunSettings),
      paramValues: best.params,
    };
    finalRunId = await deps.store.saveFinalRun(optimization.id, {
      settings: runSettings,
      settingsHash: settingsHash(runSettings),
      cacheKey: runCacheKey(
        optimization.strategyVersion.graph as GraphInput,
        runSettings,
        optimization.dataset.dataHash,
      ),
      engineVersion: ENGINE_VERSION,
      result: final.result,
    });
    monteCarlo = finalRunStatistics(final, initialEquity, spec);
  } else {
    warnings.push('no trial was feasible: there is no best parameter set, final run or Monte Carlo analysis');
  }

  await book.setStage('statistics');
  const all = book.all();
  const searchTrials = all.filter((t) => t.phase === 'SEARCH');
  const statistics = await searchStatistics(deps.store, searchTrials, best, space);
  const report: OptimizationReport = {
    best,
    trials: {
      total: all.length,
      feasible: all.filter((t) => t.feasible).length,
      cached: all.filter((t) => t.cached).length,
      failed: all.filter((t) => t.evaluated && t.metrics === null).length,
    },
    importance: statistics.importance,
    walkForward: spec.walkForward
      ? walkForwardReport(spec.walkForward, foldResults, series.time, initialEquity)
      : null,
    monteCarlo,
    overfitting: statistics.overfitting,
    finalRunId,
    warnings,
  };
  const done = book.progress();
  await deps.store.saveReport(
    optimization.id,
    run.attempt,
    report,
    { ...done, totalTrials: done.doneTrials, progress: 1, stage: 'done' },
    finalRunId,
  );
}

/** Runs one search (the whole dataset, or a fold's in-sample window) in rounds; returns its trials. */
async function searchOn(
  run: OptimizeRun,
  space: SearchSpace,
  window: BarWindow,
  warmupBars: number,
  phase: 'SEARCH' | 'IN_SAMPLE',
  fold: number | null,
  seed: number,
): Promise<StoredTrial[]> {
  const { spec, book, signal } = run;
  const budget = spec.method === 'grid' ? Number.POSITIVE_INFINITY : spec.trials;
  const sampler = createSampler(space, spec.method, { seed, budget: spec.trials });
  const round = spec.method === 'bayesian' ? BAYESIAN_ROUND : ROUND;
  const trials: StoredTrial[] = [];
  while (trials.length < budget && !signal.aborted) {
    const asked = sampler.ask(Math.min(round, budget - trials.length));
    if (asked.length === 0) break;
    const evaluated = await book.evaluate(book.plan(asked, window, warmupBars, phase, fold), run.children);
    trials.push(...evaluated);
    sampler.tell(evaluated.map((t) => ({ params: t.params, value: t.feasible ? t.objective : null })));
  }
  return trials;
}

function bestOf(trials: readonly StoredTrial[]): StoredTrial | null {
  let best: StoredTrial | null = null;
  for (const trial of trials) {
    if (!trial.feasible || trial.objective === null) continue;
    if (best === null || trial.objective > best.objective!) best = trial;
  }
  return best;
}

function searchSpaceOf(graph: ParsedGraph, spec: OptimizeSpec): SearchSpace {
  const built = buildSearchSpace(graph.params, graph.constraints ?? [], spec.ranges);
  if (!built.ok) {
    throw new PermanentJobError(
      `the search space is not valid: ${built.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
  }
  return built.space;
}

/** Trials one search runs, as the server's estimate counted them: every valid combination (grid), or the
 * budget capped at the combinations that exist (random, Bayesian). */
function searchSize(space: SearchSpace, spec: OptimizeSpec): number {
  const plan = planSearch(space, spec);
  if (!plan.ok) {
    throw new PermanentJobError(
      `the search cannot run: ${plan.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
  }
  return plan.trials;
}
