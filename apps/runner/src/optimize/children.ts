// The parent's side of the `trials` child jobs: submits batches with a bounded number in flight, hears
// each one end, and on cancel cancels every child still outstanding and waits for them to stop.
import type { JobEvent, JobQueue } from '../queue/queue';
import type { TrialTask } from './evaluate';
import type { TrialsPayload } from './trials-job';

export interface BatchEnd {
  readonly tasks: readonly TrialTask[];
  /** Why the child did not complete (failed for good, or cancelled), null when it completed. */
  readonly error: string | null;
}

export interface ChildJobsOptions {
  readonly queue: JobQueue;
  readonly optimizationId: string;
  readonly userId: string;
  /** Child ids start with the parent's attempt, so a resumed parent never collides with its predecessor's. */
  readonly attempt: number;
  readonly maxInFlight: number;
  readonly signal: AbortSignal;
  /** Hears every batch end as it happens (progress). */
  readonly onBatchEnd: (end: BatchEnd) => Promise<void> | void;
}

/** How long a cancelled parent waits for its children to stop before it reports CANCELED anyway. */
const CANCEL_SETTLE_MS = 15_000;

export class ChildJobs {
  private sequence = 0;
  private readonly outstanding = new Map<string, Promise<void>>();
  /** The first error recording a batch's end (a storage failure): run() rethrows it. */
  private failure: unknown = null;

  constructor(private readonly options: ChildJobsOptions) {}

  /** Runs every batch as a child job; resolves when all have ended, or when the signal aborts. */
  async run(batches: readonly (readonly TrialTask[])[]): Promise<void> {
    const { signal, maxInFlight } = this.options;
    const stop = aborted(signal);
    const settleOne = async () => {
      await Promise.race([...this.outstanding.values(), stop]);
      if (this.failure) throw this.failure;
    };
    for (const tasks of batches) {
      while (this.outstanding.size >= maxInFlight && !signal.aborted) await settleOne();
      if (signal.aborted) return;
      await this.submit(tasks);
    }
    while (this.outstanding.size > 0 && !signal.aborted) await settleOne();
  }

  /** Cancels every outstanding child and waits (bounded) until each has ended. */
  async cancelAll(): Promise<void> {
    const ids = [...this.outstanding.keys()];
    await Promise.all(ids.map((id) => this.options.queue.cancel(id)));
    const settled = Promise.allSettled([...this.outstanding.values()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_SETTLE_MS)))]);
    clearTimeout(timer);
  }

  private async submit(tasks: readonly TrialTask[]): Promise<void> {
    const { queue, optimizationId, userId, attempt, onBatchEnd } = this.options;
    const id = `${optimizationId}-a${attempt}-b${++this.sequence}`;
    let stopListening = () => {};
    const ended = new Promise<JobEvent>((resolve) => {
      stopListening = queue.subscribe(id, (event) => {
        if (event.type !== 'progress') resolve(event);
      });
    });
    const done = ended
      .then(async (event) => {
        stopListening();
        const error =
          event.type === 'completed'
            ? null
            : event.type === 'failed'
              ? event.error
              : 'the batch was cancelled';
        // After a cancel the parent records nothing more: a child cancelled with it evaluated nothing.
        if (!this.options.signal.aborted) await onBatchEnd({ tasks, error });
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.outstanding.delete(id));
    this.outstanding.set(id, done);
    const payload: TrialsPayload = { optimizationId, tasks };
    await queue.add({ id, userId, kind: 'trials', payload });
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
