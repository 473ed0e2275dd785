// The embedded default's queue: the JobQueue semantics (exactly-once submission, fair per-user
// scheduling, concurrency, progress, cancellation, retries) inside one process, without Redis.
import { FairScheduler } from './fair-scheduler';
import {
  checkProcessOptions,
  errorMessage,
  type JobEvent,
  type JobHandler,
  type JobKind,
  type JobListener,
  JobListeners,
  type JobQueue,
  type JobSpec,
  PermanentJobError,
  type ProcessOptions,
  QueueClosingError,
  type QueueDepth,
  type SchedulingOptions,
} from './queue';

type JobState = 'waiting' | 'active' | 'done';

interface JobRecord {
  readonly spec: JobSpec;
  state: JobState;
  attempt: number;
  readonly controller: AbortController;
}

interface KindWorker {
  readonly handler: JobHandler;
  readonly concurrency: number;
  running: number;
  /** Jobs already counted against their user that wait for a free slot to retry. */
  readonly retries: JobRecord[];
}

export class InProcessQueue implements JobQueue {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly listeners = new JobListeners();
  private readonly workers = new Map<JobKind, KindWorker>();
  private readonly scheduler: FairScheduler;
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: number;
  private readonly backoffMs: number;
  private closed = false;

  constructor(options: SchedulingOptions) {
    this.scheduler = new FairScheduler(options.maxActivePerUser);
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 1000;
  }

  async add(job: JobSpec): Promise<void> {
    if (this.closed) throw new Error(`queue closed: cannot add job ${job.id}`);
    if (this.jobs.has(job.id)) return;
    this.jobs.set(job.id, { spec: job, state: 'waiting', attempt: 0, controller: new AbortController() });
    this.scheduler.enqueue(job);
    this.pump(job.kind);
  }

  async cancel(id: string): Promise<void> {
    const record = this.jobs.get(id);
    if (!record || record.state === 'done') return;
    if (record.state === 'waiting' && this.scheduler.remove(record.spec)) {
      record.state = 'done';
      this.emit(id, { type: 'canceled' });
      return;
    }
    // Running, or between attempts: the handler (or the retry) sees the signal.
    record.controller.abort(new Error(`job ${id} was cancelled`));
  }

  subscribe(id: string, listener: JobListener): () => void {
    return this.listeners.subscribe(id, listener);
  }

  process<P>(kind: JobKind, handler: JobHandler<P>, options: ProcessOptions): void {
    checkProcessOptions(kind, this.workers.has(kind), options);
    this.workers.set(kind, {
      handler: handler as JobHandler,
      concurrency: options.concurrency,
      running: 0,
      retries: [],
    });
    this.pump(kind);
  }

  async depth(): Promise<QueueDepth> {
    let active = 0;
    for (const record of this.jobs.values()) if (record.state === 'active') active++;
    return { waiting: this.scheduler.waitingCount(), active };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const record of this.jobs.values()) {
      if (record.state === 'active')
        record.controller.abort(new QueueClosingError('the runner is shutting down'));
    }
    await Promise.allSettled([...this.running]);
  }

  private pump(kind: JobKind): void {
    const worker = this.workers.get(kind);
    if (!worker || this.closed) return;
    while (worker.running < worker.concurrency) {
      const retry = worker.retries.shift();
      const record = retry ?? this.start(kind);
      if (!record) return;
      worker.running++;
      const run = this.runAttempt(record, worker).finally(() => {
        this.running.delete(run);
        worker.running--;
        this.pump(kind);
      });
      this.running.add(run);
    }
  }

  private start(kind: JobKind): JobRecord | undefined {
    const spec = this.scheduler.next(kind);
    if (!spec) return undefined;
    const record = this.jobs.get(spec.id)!;
    record.state = 'active';
    return record;
  }

  private async runAttempt(record: JobRecord, worker: KindWorker): Promise<void> {
    const { spec, controller } = record;
    if (controller.signal.aborted) return this.end(record, { type: 'canceled' });
    record.attempt++;
    try {
      await worker.handler({
        job: spec,
        attempt: record.attempt,
        isFinalAttempt: record.attempt >= this.attempts,
        signal: controller.signal,
        progress: (fraction, detail) => {
          if (record.state === 'active') this.emit(spec.id, { type: 'progress', fraction, detail });
        },
      });
      if (this.closed) return;
      this.end(record, controller.signal.aborted ? { type: 'canceled' } : { type: 'completed' });
    } catch (error) {
      if (this.closed) return;
      if (controller.signal.aborted) return this.end(record, { type: 'canceled' });
      if (error instanceof PermanentJobError || record.attempt >= this.attempts) {
        return this.end(record, { type: 'failed', error: errorMessage(error) });
      }
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          worker.retries.push(record);
          this.pump(spec.kind);
        },
        this.backoffMs * 2 ** (record.attempt - 1),
      );
      this.timers.add(timer);
    }
  }

  private end(record: JobRecord, event: JobEvent): void {
    record.state = 'done';
    this.scheduler.finish(record.spec);
    this.emit(record.spec.id, event);
  }

  private emit(id: string, event: JobEvent): void {
    this.listeners.emit(id, event);
  }
}
