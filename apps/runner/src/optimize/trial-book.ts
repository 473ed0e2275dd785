// The parent's ledger of one optimization's trials: plans them with dense indices (the same order on
// every attempt, so a resumed job finds its predecessor's trials), answers those with a stored result,
// sends the rest to child jobs in batches, and keeps the counts, the best trial and the progress.
import type {
  BarWindow,
  BestTrial,
  ObjectiveSpec,
  OptimizationProgress,
  ParamSet,
} from '@candleflow/optimize';
import { strategyResultHash, trialResultKey } from '../processors/cache-key';
import type { GraphInput } from '@candleflow/strategy-dsl';
import { type Batching, BatchSizer } from './batch-size';
import type { ChildJobs } from './children';
import type { TrialEvaluation, TrialTask } from './evaluate';
import { failedOutcome, outcomeOf, recordEvaluations } from './record';
import type { OptimizationStore, PlannedTrial, StoredPhase, StoredTrial, TrialOutcome } from './store';

/** Trials of each ended batch whose measured time feeds the batch sizer. */
const MEASURED_PER_BATCH = 8;

export interface TrialBookOptions {
  readonly store: OptimizationStore;
  readonly optimizationId: string;
  readonly attempt: number;
  readonly graph: GraphInput;
  readonly dataHash: string;
  readonly settingsHash: string;
  readonly objective: ObjectiveSpec;
  readonly reuseResults: boolean;
  readonly batching: Batching;
  /** Live progress for the job's subscribers. */
  readonly report: (fraction: number, detail: OptimizationProgress) => void;
  /** Least time between two progress writes to the store (ms). */
  readonly progressWriteMs: number;
}

/** A trial in plan order with the task a thread evaluates. */
export interface PlannedTask extends PlannedTrial {
  readonly task: TrialTask;
}

export class TrialBook {
  private readonly trials = new Map<number, StoredTrial>();
  private nextIndex = 0;
  private done = 0;
  private cached = 0;
  private total = 0;
  private stage = 'search';
  private best: BestTrial | null = null;
  private lastWrite = 0;
  private lastReport = 0;
  private readonly sizer: BatchSizer;

  constructor(private readonly options: TrialBookOptions) {
    this.sizer = new BatchSizer(options.batching);
  }

  /** Takes in the trials a previous attempt planned; evaluated ones count as done and are never recomputed. */
  async resume(): Promise<void> {
    for (const trial of await this.options.store.loadTrials(this.options.optimizationId)) {
      this.trials.set(trial.index, trial);
      if (trial.evaluated) this.count(trial);
    }
  }

  /** Planned trials in all (an estimate that grows when a search asks for more). */
  expectTotal(total: number): void {
    this.total = Math.max(total, this.done);
  }

  async setStage(stage: string): Promise<void> {
    this.stage = stage;
    await this.publish(true);
  }

  progress(): OptimizationProgress {
    return {
      doneTrials: this.done,
      totalTrials: Math.max(this.total, this.done),
      cachedTrials: this.cached,
      stage: this.stage,
      best: this.best,
    };
  }

  bestTrial(): BestTrial | null {
    return this.best;
  }

  all(): StoredTrial[] {
    return [...this.trials.values()].sort((a, b) => a.index - b.index);
  }

  /** The next trials in plan order, with their result keys. */
  plan(
    params: readonly ParamSet[],
    window: BarWindow,
    warmupBars: number,
    phase: StoredPhase,
    fold: number | null,
  ): PlannedTask[] {
    return params.map((p) => {
      const resultKey = trialResultKey({
        resultHash: strategyResultHash(this.options.graph, p),
        dataHash: this.options.dataHash,
        window,
        warmupBars,
        settingsHash: this.options.settingsHash,
      });
      const index = this.nextIndex++;
      const stored = this.trials.get(index);
      if (stored && stored.resultKey !== resultKey) {
        throw new Error(
          `trial ${index} was planned with other parameters by an earlier attempt; the optimization cannot resume`,
        );
      }
      return {
        index,
        phase,
        fold,
        params: p,
        resultKey,
        task: { index, params: p, window, warmupBars, key: resultKey },
      };
    });
  }

  /**
   * Evaluates one round of trials: stored ones are taken as they are, stored results are reused, the
   * rest run as child jobs. Returns the round's trials (unevaluated ones only when the signal aborted).
   */
  async evaluate(planned: readonly PlannedTask[], children: ChildJobs): Promise<StoredTrial[]> {
    const { store, optimizationId } = this.options;
    await this.register(planned);
    let pending = planned.filter((p) => !this.trials.get(p.index)!.evaluated);
    if (this.options.reuseResults && pending.length > 0) {
      const found = await store.findResults(pending.map((p) => p.resultKey));
      const reused = pending.flatMap((p) => {
        const result = found.get(p.resultKey);
        return result ? [outcomeOf(p.index, result.metrics, this.options.objective, true)] : [];
      });
      await store.saveOutcomes(optimizationId, reused);
      this.apply(reused);
      pending = pending.filter((p) => !this.trials.get(p.index)!.evaluated);
      await this.publish(false);
    }
    if (pending.length > 0) {
      await children.run(
        pending.map((p) => p.task),
        (next, remaining, inFlight) => this.sizer.size(next, remaining, inFlight),
      );
    }
    return planned.map((p) => this.trials.get(p.index)!);
  }

  /** Stores planned trials that no earlier attempt stored. */
  async register(planned: readonly PlannedTask[]): Promise<void> {
    const fresh = planned.filter((p) => !this.trials.has(p.index)).map(({ task: _task, ...trial }) => trial);
    await this.options.store.planTrials(this.options.optimizationId, fresh);
    for (const trial of fresh) {
      this.trials.set(trial.index, {
        ...trial,
        objective: null,
        feasible: false,
        note: null,
        metrics: null,
        cached: false,
        evaluated: false,
      });
    }
  }

  /** Stores a trial the parent evaluated itself (an out-of-sample trial); null evaluation: it was stopped. */
  async recordOwn(planned: PlannedTask, evaluation: TrialEvaluation | null): Promise<StoredTrial> {
    if (evaluation) {
      const { store, optimizationId, objective } = this.options;
      this.apply(await recordEvaluations(store, optimizationId, objective, [evaluation]));
      await this.publish(false);
    }
    return this.trials.get(planned.index)!;
  }

  /** A child job ended: reads its trials' outcomes; trials it did not evaluate are recorded as failed. */
  async batchEnded(tasks: readonly TrialTask[], error: string | null): Promise<void> {
    const { store, optimizationId } = this.options;
    const indices = new Set(tasks.map((t) => t.index));
    const from = Math.min(...indices);
    const to = Math.max(...indices) + 1;
    const stored = (await store.loadTrials(optimizationId, { from, to })).filter((t) => indices.has(t.index));
    const missing = stored
      .filter((t) => !t.evaluated)
      .map((t) => failedOutcome(t.index, error ?? 'the batch ended without evaluating it'));
    if (missing.length > 0) await store.saveOutcomes(optimizationId, missing);
    for (const trial of stored) if (trial.evaluated) this.settle(trial);
    this.apply(missing);
    await this.publish(false);
    await this.measure(tasks, stored);
  }

  /** Tells the batch sizer how long a few of the batch's computed trials took (TrialResult.cpuMs). */
  private async measure(tasks: readonly TrialTask[], stored: readonly StoredTrial[]): Promise<void> {
    const computed = new Set(
      stored.filter((t) => t.evaluated && t.metrics !== null && !t.cached).map((t) => t.index),
    );
    const sample = tasks.filter((t) => computed.has(t.index)).slice(0, MEASURED_PER_BATCH);
    if (sample.length === 0) return;
    const results = await this.options.store.findResults(sample.map((t) => t.key));
    this.sizer.observe(
      sample.flatMap((task) => {
        const result = results.get(task.key);
        return result ? [{ task, cpuMs: result.cpuMs }] : [];
      }),
    );
  }

  /** Records outcomes computed by the parent itself (out-of-sample trials). */
  apply(outcomes: readonly TrialOutcome[]): void {
    for (const outcome of outcomes) {
      const trial = this.trials.get(outcome.index);
      if (trial) this.settle({ ...trial, ...outcome, evaluated: true });
    }
  }

  /** Writes progress now (stage changes, the end) or when the last write is old enough. */
  async publish(force: boolean): Promise<void> {
    const now = Date.now();
    const progress = this.progress();
    const fraction = progress.totalTrials === 0 ? 0 : (0.95 * progress.doneTrials) / progress.totalTrials;
    if (force || now - this.lastReport >= 200) {
      this.lastReport = now;
      this.options.report(fraction, progress);
    }
    if (force || now - this.lastWrite >= this.options.progressWriteMs) {
      this.lastWrite = now;
      await this.options.store.saveProgress(this.options.optimizationId, this.options.attempt, {
        progress: fraction,
        ...progress,
      });
    }
  }

  private settle(trial: StoredTrial): void {
    const before = this.trials.get(trial.index);
    this.trials.set(trial.index, trial);
    if (!before?.evaluated) this.count(trial);
  }

  private count(trial: StoredTrial): void {
    this.done++;
    if (trial.cached) this.cached++;
    const { objective, metrics } = trial;
    if (trial.phase === 'SEARCH' && trial.feasible && objective !== null && metrics !== null) {
      // Ties go to the earlier trial, whatever order the batches finished in.
      const better =
        this.best === null ||
        objective > this.best.objective ||
        (objective === this.best.objective && trial.index < this.best.index);
      if (better) {
        this.best = { index: trial.index, params: trial.params, objective, metrics };
      }
    }
  }
}
