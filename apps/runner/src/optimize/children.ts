// The parent's side of the `trials` child jobs: cuts a round's trials into batches as slots free up, keeps a
// bounded number in flight, hears each one end, and on cancel cancels every child still outstanding.
// A batch's end is normally heard from the queue, but those messages can be lost (a Redis reconnect, a
// runner restarting between a batch's end and its message), so while batches are outstanding the parent
// also reads their trials from the store: a batch whose trials are all evaluated has ended, whether or
// not its message comes. A batch nobody seems to run (no trial of any outstanding batch evaluated for
// lostAfterMs) is submitted once more; if that one is not heard of either, its trials are given up.
import { errorMessage, type JobEvent, type JobQueue } from '../queue/queue';
import type { TrialTask } from './evaluate';
import type { OptimizationStore } from './store';
import type { TrialsPayload } from './trials-job';

export interface BatchEnd {
  readonly tasks: readonly TrialTask[];
  /** Why the child did not complete (failed for good, cancelled, or lost), null when it completed. */
  readonly error: string | null;
}

export interface ChildJobsOptions {
  readonly queue: JobQueue;
  /** Where the children record their trials: tells which trials are evaluated when no message came. */
  readonly store: Pick<OptimizationStore, 'evaluatedIndices'>;
  readonly optimizationId: string;
  readonly userId: string;
  /** Child ids start with the parent's attempt, so a resumed parent never collides with its predecessor's. */
  readonly attempt: number;
  readonly maxInFlight: number;
  readonly signal: AbortSignal;
  /** How often the store is read for outstanding batches (ms). */
  readonly checkEveryMs: number;
  /**
   * No trial of any outstanding batch evaluated for this long (ms): the outstanding batches are presumed
   * lost and submitted again (each once). Generous: a batch legitimately waits for the others in the queue.
   */
  readonly lostAfterMs: number;
  /** Hears every batch end as it happens (progress); called exactly once per batch. */
  readonly onBatchEnd: (end: BatchEnd) => Promise<void> | void;
}

/** The size of the batch starting at `next`, `remaining` trials left (next included), `inFlight` at once. */
export type SizeBatch = (next: TrialTask, remaining: number, inFlight: number) => number;

/** How long a cancelled parent waits for its children to stop before it reports CANCELED anyway. */
const CANCEL_SETTLE_MS = 15_000;

interface Batch {
  readonly tasks: readonly TrialTask[];
  /** The child jobs running these trials: the first and, once presumed lost, its replacement. */
  readonly ids: string[];
  readonly stopListening: (() => void)[];
  /** Trials of the batch the store showed evaluated at the last check. */
  evaluated: number;
  ending: boolean;
  /** Resolves once the batch has ended and onBatchEnd has run. */
  readonly ended: Promise<void>;
  readonly markEnded: () => void;
}

export class ChildJobs {
  private sequence = 0;
  private readonly outstanding = new Set<Batch>();
  private waiters: (() => void)[] = [];
  /** The first error recording a batch's end or reading the store: run() rethrows it. */
  private failure: unknown = null;
  /** The last time an outstanding batch moved (submitted in a fresh run, trials evaluated, ended). */
  private lastProgress = 0;
  private checking = false;

  constructor(private readonly options: ChildJobsOptions) {}

  /**
   * Runs the tasks as child jobs, cutting each batch (sizeBatch) when a slot frees up, so later batches are
   * sized with what the earlier ones measured. Resolves when all have ended, or when the signal aborts.
   */
  async run(tasks: readonly TrialTask[], sizeBatch: SizeBatch): Promise<void> {
    const { signal, maxInFlight, checkEveryMs } = this.options;
    let onAbort = () => {};
    const stop = new Promise<void>((resolve) => (onAbort = resolve));
    signal.addEventListener('abort', onAbort, { once: true });
    const settleOne = async () => {
      await Promise.race([this.nextEnd(), stop]);
      if (this.failure) throw this.failure;
    };
    this.lastProgress = Date.now();
    const watch = setInterval(() => void this.check(), checkEveryMs);
    try {
      let next = 0;
      while (next < tasks.length) {
        while (this.outstanding.size >= maxInFlight && !signal.aborted) await settleOne();
        if (signal.aborted) return;
        const size = Math.max(1, sizeBatch(tasks[next]!, tasks.length - next, maxInFlight));
        await this.submit(tasks.slice(next, next + size));
        next += size;
      }
      while (this.outstanding.size > 0 && !signal.aborted) await settleOne();
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Cancels every outstanding child and waits (bounded) until each has ended. */
  async cancelAll(): Promise<void> {
    const batches = [...this.outstanding];
    await this.cancel(batches.flatMap((batch) => batch.ids));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(batches.map((batch) => batch.ended)),
      new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_SETTLE_MS))),
    ]);
    clearTimeout(timer);
  }

  private async submit(tasks: readonly TrialTask[]): Promise<void> {
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const batch: Batch = { tasks, ids: [], stopListening: [], evaluated: 0, ending: false, ended, markEnded };
    this.outstanding.add(batch);
    await this.launch(batch, tasks);
  }

  /** Submits a child job for the batch (the first, or a replacement with the trials still unevaluated). */
  private async launch(batch: Batch, tasks: readonly TrialTask[]): Promise<void> {
    const { queue, optimizationId, userId, attempt } = this.options;
    const id = `${optimizationId}-a${attempt}-b${++this.sequence}`;
    batch.ids.push(id);
    batch.stopListening.push(queue.subscribe(id, (event) => this.heard(batch, id, event)));
    const payload: TrialsPayload = { optimizationId, tasks };
    await queue.add({ id, userId, kind: 'trials', payload });
  }

  private heard(batch: Batch, id: string, event: JobEvent): void {
    if (event.type === 'progress') return;
    if (event.type === 'completed') {
      // Either child completing records every trial; the other one, if still running, is not needed.
      this.cancel(batch.ids.filter((other) => other !== id)).catch((error: unknown) =>
        process.emitWarning(`could not cancel a duplicate trials job of ${id}: ${errorMessage(error)}`),
      );
      void this.end(batch, null);
      return;
    }
    // A child presumed lost that fails or is cancelled later does not end the batch its replacement runs.
    if (id !== batch.ids.at(-1)) return;
    void this.end(batch, event.type === 'failed' ? event.error : 'the batch was cancelled');
  }

  /** Ends a batch once, whichever noticed first: its child's message, the store, or the lost timeout. */
  private async end(batch: Batch, error: string | null): Promise<void> {
    if (batch.ending) return;
    batch.ending = true;
    for (const stop of batch.stopListening) stop();
    this.lastProgress = Date.now();
    try {
      // After a cancel the parent records nothing more: a child cancelled with it evaluated nothing.
      if (!this.options.signal.aborted) await this.options.onBatchEnd({ tasks: batch.tasks, error });
    } catch (failure) {
      this.failure ??= failure;
    } finally {
      this.outstanding.delete(batch);
      batch.markEnded();
      this.wake();
    }
  }

  /** Reads the outstanding batches' trials from the store: ends finished batches, resubmits lost ones. */
  private async check(): Promise<void> {
    if (this.checking || this.options.signal.aborted) return;
    const batches = [...this.outstanding].filter((batch) => !batch.ending);
    if (batches.length === 0) return;
    this.checking = true;
    try {
      const evaluated = await this.evaluatedAmong(batches);
      if (this.options.signal.aborted) return;
      const now = Date.now();
      for (const batch of batches) {
        const count = batch.tasks.filter((task) => evaluated.has(task.index)).length;
        if (count > batch.evaluated) {
          batch.evaluated = count;
          this.lastProgress = now;
        }
        if (count === batch.tasks.length) {
          // A replacement still waiting would only compute them again.
          if (batch.ids.length > 1) await this.cancel(batch.ids);
          void this.end(batch, null);
        }
      }
      if (now - this.lastProgress < this.options.lostAfterMs) return;
      this.lastProgress = now;
      for (const batch of batches) {
        if (batch.ending) continue;
        if (batch.ids.length === 1) {
          await this.launch(
            batch,
            batch.tasks.filter((task) => !evaluated.has(task.index)),
          );
        } else {
          await this.cancel(batch.ids);
          const seconds = Math.round(this.options.lostAfterMs / 1000);
          void this.end(
            batch,
            `its child job was lost: no runner reported on it for ${seconds} s, nor on its resubmission`,
          );
        }
      }
    } catch (failure) {
      this.failure ??= failure;
      this.wake();
    } finally {
      this.checking = false;
    }
  }

  private async cancel(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.options.queue.cancel(id)));
  }

  /** Indices of the batches' trials that the store holds as evaluated. */
  private evaluatedAmong(batches: readonly Batch[]): Promise<Set<number>> {
    const indices = batches.flatMap((batch) => batch.tasks.map((task) => task.index));
    return this.options.store.evaluatedIndices(this.options.optimizationId, indices);
  }

  /** Resolves at the next batch end (or failure). */
  private nextEnd(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
