// The one job-queue interface the server submits to and the runners serve, whatever carries the jobs
// (BullMQ on Redis, or an in-process queue in the embedded default).

export const JOB_KINDS = ['backtest', 'optimize', 'trials', 'train', 'live'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * Kinds of child jobs (an optimization's batches of trials). They do not count against their user's
 * active-job cap: their parent already holds one of the user's slots, and a parent waiting on children
 * the cap keeps from starting would wait forever. The parent bounds how many it has in flight instead.
 */
export const CHILD_JOB_KINDS: readonly JobKind[] = ['trials'];

export function isChildKind(kind: JobKind): boolean {
  return CHILD_JOB_KINDS.includes(kind);
}

export interface JobSpec<P = unknown> {
  /** Deterministic (the run id): submitting the same id twice runs the job once. */
  readonly id: string;
  /** Whose job it is: scheduling is fair between users and quotas are per user. */
  readonly userId: string;
  readonly kind: JobKind;
  /** Plain JSON: it crosses process boundaries. */
  readonly payload: P;
}

/** What a subscriber to one job hears. Terminal events (all but progress) arrive once. */
export type JobEvent =
  | { readonly type: 'progress'; readonly fraction: number; readonly detail?: unknown }
  | { readonly type: 'completed' }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'canceled' };

export type JobListener = (event: JobEvent) => void;

export interface JobContext<P = unknown> {
  readonly job: JobSpec<P>;
  /** 1 on the first run; higher after a thrown transient error or a runner that died mid-job. */
  readonly attempt: number;
  /** True when a thrown transient error will not be retried: the handler should record the failure. */
  readonly isFinalAttempt: boolean;
  /** fraction in 0..1; detail is any JSON the subscriber understands. */
  readonly progress: (fraction: number, detail?: unknown) => void;
  /** Aborted when the job is cancelled; the handler should stop soon and may simply return. */
  readonly signal: AbortSignal;
}

export type JobHandler<P = unknown> = (context: JobContext<P>) => Promise<void>;

export interface ProcessOptions {
  /** Jobs of this kind this process runs at the same time. */
  readonly concurrency: number;
  /**
   * Called when the queue gives a job up without its handler having finished it (BullMQ: a job whose
   * runners kept dying past the stalled limit), so the handler's side can record the failure.
   */
  readonly onAbandoned?: (job: JobSpec, reason: string) => Promise<void>;
}

export interface QueueDepth {
  /** Submitted, not started (including jobs held back by the per-user limit). */
  readonly waiting: number;
  readonly active: number;
}

export interface JobQueue {
  /** Submits a job; an id that was ever submitted before is a no-op (exactly-once submission). */
  add(job: JobSpec): Promise<void>;
  /** Cancels a waiting job at once and aborts a running one's signal; unknown or finished ids are a no-op. */
  cancel(id: string): Promise<void>;
  /** Listens to one job's events until the returned function is called. */
  subscribe(id: string, listener: JobListener): () => void;
  /** Serves jobs of one kind in this process. */
  process<P>(kind: JobKind, handler: JobHandler<P>, options: ProcessOptions): void;
  depth(): Promise<QueueDepth>;
  /** Stops taking jobs, lets running handlers see their signal aborted, and releases connections. */
  close(): Promise<void>;
}

/** Thrown by a handler for failures a retry cannot fix (compile errors, quota exceeded, bad input). */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** Scheduling shared by both implementations. */
export interface SchedulingOptions {
  /** Jobs of one user started and not yet finished, across all runners (QUOTA_CONCURRENT_JOBS). */
  readonly maxActivePerUser: number;
  /** Attempts for a handler that throws a transient error (default 3). */
  readonly attempts?: number;
  /** Delay before a retry, doubled each attempt (ms, default 1000). */
  readonly backoffMs?: number;
}

/**
 * The abort reason when a runner shuts down: the job is not cancelled, it goes back to the queue for
 * another runner (BullMQ) or is resubmitted at the next start (in-process), so handlers must not record it as cancelled.
 */
export class QueueClosingError extends Error {
  override readonly name = 'QueueClosingError';
}

export function isShutdown(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof QueueClosingError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The subscribers of each job, shared by both queue implementations. */
export class JobListeners {
  private readonly byId = new Map<string, Set<JobListener>>();

  subscribe(id: string, listener: JobListener): () => void {
    let set = this.byId.get(id);
    if (!set) {
      set = new Set();
      this.byId.set(id, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byId.delete(id);
    };
  }

  emit(id: string, event: JobEvent): void {
    for (const listener of this.byId.get(id) ?? []) {
      try {
        listener(event);
      } catch (error) {
        // A subscriber's bug must not fail the job it listens to.
        process.emitWarning(`listener of job ${id} threw on ${event.type}: ${errorMessage(error)}`);
      }
    }
  }
}

/** Refuses a second handler for one kind and a concurrency that is not a positive integer. */
export function checkProcessOptions(kind: JobKind, registered: boolean, options: ProcessOptions): void {
  if (registered) throw new Error(`a ${kind} handler is already registered on this queue`);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
}
