// How many trials go into the next `trials` child job: enough that the queue's overhead stays small next
// to the backtests, few enough that the end of a round does not leave one runner alone with a long batch.
// The trial time is estimated from the bars until trials have run, then measured.
import type { TrialTask } from './evaluate';

export interface Batching {
  /** Aim for batches that take about this long (ms). */
  readonly targetBatchMs: number;
  /** Engine time per bar (ms) assumed until trials of this optimization have been measured. */
  readonly barCostMs: number;
}

/**
 * The rule: a batch holds min(targetBatchMs / trialMs, remaining / inFlight) trials, at least one.
 *
 * - targetBatchMs / trialMs: a batch takes about targetBatchMs (~2 s), so a child job's queue round trip
 *   (a few ms) is a small part of it.
 * - remaining / inFlight: the trials not yet handed out are always cut into at least as many batches as
 *   the parent keeps in flight (which should be at least two per runner thread). At the start of a large
 *   round this does not bind; near its end it does, and batches shrink with what is left: a batch cut with
 *   R trials left holds R / inFlight of them while the other threads still have the rest ahead of them,
 *   so the threads run out of work within about one trial of each other instead of one runner finishing a
 *   full 2 s batch alone. With 10,000 trials of 100 ms, 2 runners and 16 in flight: batches of 20 until
 *   320 trials are left, then 20, 19, 18, ... down to single trials: about 40 batches more than 500.
 */
export function batchSize(input: {
  readonly remaining: number;
  readonly trialMs: number;
  readonly targetBatchMs: number;
  readonly inFlight: number;
}): number {
  const { remaining, trialMs, targetBatchMs, inFlight } = input;
  const forTime = Math.floor(targetBatchMs / Math.max(trialMs, 1e-3));
  const forSpread = Math.ceil(remaining / Math.max(1, inFlight));
  return Math.max(1, Math.min(forTime, forSpread, remaining));
}

/** Bars a trial runs: its window and the warm-up before it. */
export function barsOf(task: TrialTask): number {
  return task.window.to - task.window.from + task.warmupBars;
}

/**
 * Sizes batches from the engine time per bar: the configured estimate until a trial of this optimization
 * has been measured, then a moving average of the measurements (per bar, so a walk-forward fold's
 * shorter windows get proportionally larger batches).
 */
export class BatchSizer {
  private barCostMs: number;
  private measured = false;

  constructor(private readonly batching: Batching) {
    this.barCostMs = batching.barCostMs;
  }

  /** The size of the batch starting at `next`, with `remaining` trials left and `inFlight` at once. */
  size(next: TrialTask, remaining: number, inFlight: number): number {
    return batchSize({
      remaining,
      trialMs: barsOf(next) * this.barCostMs,
      targetBatchMs: this.batching.targetBatchMs,
      inFlight,
    });
  }

  /** Takes in the time (ms) measured trials took; the first measurements replace the estimate. */
  observe(trials: readonly { readonly task: TrialTask; readonly cpuMs: number }[]): void {
    let ms = 0;
    let bars = 0;
    for (const { task, cpuMs } of trials) {
      ms += cpuMs;
      bars += barsOf(task);
    }
    if (bars === 0 || ms <= 0) return;
    const perBar = ms / bars;
    // Half weight to the newest batch: follows trial costs that drift across the grid without jumping
    // on one noisy batch.
    this.barCostMs = this.measured ? (this.barCostMs + perBar) / 2 : perBar;
    this.measured = true;
  }

  /** Engine time per bar (ms) the next batch is sized with. */
  costPerBarMs(): number {
    return this.barCostMs;
  }
}
