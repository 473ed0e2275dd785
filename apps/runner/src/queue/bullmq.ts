// The JobQueue on Redis: BullMQ carries the jobs (locks, stalled-job recovery, retries, progress) between
// any number of runner processes; a fair dispatcher in front of it (bullmq-scripts.ts) gives users turns.
import { type Job, Queue, QueueEvents, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ADD_SCRIPT, CANCEL_SCRIPT, DISPATCH_SCRIPT, FINISH_SCRIPT } from './bullmq-scripts';
import {
  checkProcessOptions,
  errorMessage,
  isChildKind,
  isShutdown,
  JOB_KINDS,
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

export interface BullMqQueueOptions extends SchedulingOptions {
  readonly redisUrl: string;
  /** Namespace of every key and channel; tests use a fresh one each. Default "candleflow". */
  readonly prefix?: string;
  /** A runner that stops renewing its lock this long is presumed dead (ms, default 30,000). */
  readonly lockDurationMs?: number;
  /** How often runners look for jobs of dead runners (ms, default 30,000). */
  readonly stalledIntervalMs?: number;
  /** Times a job may lose its runner before it fails for good (default 3). */
  readonly maxStalledCount?: number;
  /** How often this process re-dispatches and repairs half-dispatched jobs (ms, default 2,000). */
  readonly dispatchIntervalMs?: number;
  /** How long finished job ids are remembered, so resubmitting them stays a no-op (s, default 7 days). */
  readonly retainFinishedSeconds?: number;
}

interface TerminalMessage {
  readonly id: string;
  readonly event: JobEvent;
}

interface BullJobData {
  readonly userId: string;
  readonly payload: unknown;
}

export class BullMqQueue implements JobQueue {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly P: string;
  private readonly prefix: string;
  private readonly queues = new Map<JobKind, Queue<BullJobData>>();
  private readonly workers = new Map<JobKind, Worker<BullJobData>>();
  private readonly events: QueueEvents[] = [];
  private readonly listeners = new JobListeners();
  private readonly controllers = new Map<string, AbortController>();
  private readonly subscribed: Promise<unknown>;
  private dispatchTimer: NodeJS.Timeout | undefined;
  private dispatching: Promise<void> | undefined;
  private dispatchAgain = false;
  private closed = false;

  constructor(private readonly options: BullMqQueueOptions) {
    this.prefix = options.prefix ?? 'candleflow';
    this.P = `${this.prefix}:cf`;
    // BullMQ's blocking commands need maxRetriesPerRequest: null.
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    this.subscribed = this.subscriber.subscribe(`${this.P}:events`, `${this.P}:cancel`);
  }

  /** Resolves once this queue hears terminal events and cancellations (subscribe() before it may miss some). */
  async ready(): Promise<void> {
    await this.subscribed;
    await Promise.all(this.events.map((events) => events.waitUntilReady()));
  }

  async add(job: JobSpec): Promise<void> {
    if (this.closed) throw new Error(`queue closed: cannot add job ${job.id}`);
    const added = await this.redis.eval(
      ADD_SCRIPT,
      0,
      this.P,
      job.id,
      job.userId,
      job.kind,
      JSON.stringify(job.payload ?? null),
      isChildKind(job.kind) ? '1' : '0',
      Date.now(),
    );
    if (added === 1) await this.dispatch();
    else if (added === 2) await this.enqueue(job.kind, job.id, { userId: job.userId, payload: job.payload });
  }

  async cancel(id: string): Promise<void> {
    await this.redis.eval(
      CANCEL_SCRIPT,
      0,
      this.P,
      id,
      this.terminal(id, { type: 'canceled' }),
      this.retain(),
    );
  }

  subscribe(id: string, listener: JobListener): () => void {
    this.ensureQueueEvents();
    return this.listeners.subscribe(id, listener);
  }

  process<P>(kind: JobKind, handler: JobHandler<P>, options: ProcessOptions): void {
    checkProcessOptions(kind, this.workers.has(kind), options);
    const worker = new Worker<BullJobData>(
      this.queueName(kind),
      (job, token) => this.runJob(kind, job, token, handler as JobHandler),
      {
        connection: this.redis,
        prefix: this.prefix,
        concurrency: options.concurrency,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        maxStalledCount: this.options.maxStalledCount ?? 3,
      },
    );
    worker.on('failed', (job, error) => {
      // Only a job given up without its handler finishing it is still unfinished here (stalled too often).
      if (job && !this.closed) void this.abandon(kind, job, errorMessage(error), options);
    });
    worker.on('error', (error) => process.emitWarning(`${kind} worker: ${errorMessage(error)}`));
    this.workers.set(kind, worker);
    this.dispatchTimer ??= setInterval(() => {
      void this.dispatch().then(() => this.reconcile());
    }, this.options.dispatchIntervalMs ?? 2_000);
    void this.dispatch();
  }

  async depth(): Promise<QueueDepth> {
    const held = Number((await this.redis.get(`${this.P}:waiting`)) ?? 0);
    let waiting = held;
    let active = 0;
    for (const kind of JOB_KINDS) {
      const counts = await this.queue(kind).getJobCounts('waiting', 'delayed', 'prioritized', 'active');
      waiting += (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
      active += counts.active ?? 0;
    }
    return { waiting, active };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.dispatchTimer);
    for (const controller of this.controllers.values()) {
      controller.abort(new QueueClosingError('the runner is shutting down'));
    }
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await this.dispatching;
    await Promise.all([...this.events, ...this.queues.values()].map((closable) => closable.close()));
    this.subscriber.disconnect();
    await this.redis.quit();
  }

  /** Moves every job that may start now from the per-user lists into BullMQ. */
  dispatch(): Promise<void> {
    if (this.dispatching) {
      this.dispatchAgain = true;
      return this.dispatching;
    }
    this.dispatching = (async () => {
      do {
        this.dispatchAgain = false;
        for (;;) {
          if (this.closed) return;
          const next = (await this.redis.eval(
            DISPATCH_SCRIPT,
            0,
            this.P,
            this.options.maxActivePerUser,
            Date.now(),
          )) as [string, JobKind, string, string] | null;
          if (!next) break;
          const [id, kind, userId, payload] = next;
          await this.enqueue(kind, id, { userId, payload: JSON.parse(payload) });
        }
      } while (this.dispatchAgain);
    })().finally(() => {
      this.dispatching = undefined;
    });
    return this.dispatching;
  }

  /**
   * Repairs what a process dying at the wrong moment leaves behind: a job dispatched but never handed
   * to BullMQ is handed over again (BullMQ ignores a jobId it has), one BullMQ failed while nobody
   * recorded it is finished, so its user's slot frees.
   */
  async reconcile(): Promise<void> {
    if (this.closed) return;
    const graceMs = 5_000;
    const ids = await this.redis.zrangebyscore(`${this.P}:dispatched`, '-inf', Date.now() - graceMs);
    for (const id of ids) {
      const [kind, userId, payload, state] = await this.redis.hmget(
        `${this.P}:job:${id}`,
        'kind',
        'userId',
        'payload',
        'state',
      );
      if (state !== 'dispatched' || !kind || !userId) continue;
      const bullState = await this.queue(kind as JobKind).getJobState(id);
      if (bullState === 'unknown') {
        await this.enqueue(kind as JobKind, id, { userId, payload: JSON.parse(payload ?? 'null') });
      } else if (bullState === 'failed') {
        const job = await this.queue(kind as JobKind).getJob(id);
        await this.finish(id, { type: 'failed', error: job?.failedReason ?? 'failed' });
      }
    }
  }

  private async enqueue(kind: JobKind, id: string, data: BullJobData): Promise<void> {
    await this.queue(kind).add(kind, data, {
      jobId: id,
      attempts: this.options.attempts ?? 3,
      backoff: { type: 'exponential', delay: this.options.backoffMs ?? 1000 },
      removeOnComplete: true,
      removeOnFail: { age: this.retain() },
    });
  }

  private async runJob(
    kind: JobKind,
    job: Job<BullJobData>,
    token: string | undefined,
    handler: JobHandler,
  ): Promise<void> {
    const id = job.id!;
    const state = await this.redis.hget(`${this.P}:job:${id}`, 'state');
    // Finished already: BullMQ runs it again when its runner died after finishing, before acknowledging.
    if (state !== 'dispatched') return;
    const controller = new AbortController();
    this.controllers.set(id, controller);
    try {
      // After registering the controller, so a cancel published in between is not missed.
      if ((await this.redis.exists(`${this.P}:cancel:${id}`)) === 1) {
        await this.finish(id, { type: 'canceled' });
        return;
      }
      const maxAttempts = this.options.attempts ?? 3;
      const spec: JobSpec = { id, userId: job.data.userId, kind, payload: job.data.payload };
      try {
        await handler({
          job: spec,
          attempt: Math.max(job.attemptsStarted, job.attemptsMade + 1),
          isFinalAttempt: job.attemptsMade + 1 >= maxAttempts,
          signal: controller.signal,
          progress: (fraction, detail) => {
            job.updateProgress({ fraction, detail }).catch((error: unknown) => {
              process.emitWarning(`progress of job ${id}: ${errorMessage(error)}`);
            });
          },
        });
      } catch (error) {
        if (isShutdown(controller.signal)) return await this.requeue(job, token);
        if (controller.signal.aborted) return void (await this.finish(id, { type: 'canceled' }));
        if (error instanceof PermanentJobError || job.attemptsMade + 1 >= maxAttempts) {
          await this.finish(id, { type: 'failed', error: errorMessage(error) });
          throw new UnrecoverableError(errorMessage(error));
        }
        throw error;
      }
      if (isShutdown(controller.signal)) return await this.requeue(job, token);
      await this.finish(id, controller.signal.aborted ? { type: 'canceled' } : { type: 'completed' });
    } finally {
      this.controllers.delete(id);
    }
  }

  /** A runner shutting down hands its job back without spending an attempt. */
  private async requeue(job: Job<BullJobData>, token: string | undefined): Promise<never> {
    await job.moveToWait(token);
    throw new WaitingError();
  }

  private async abandon(kind: JobKind, job: Job<BullJobData>, reason: string, options: ProcessOptions) {
    // 'failed' fires for attempts that will be retried too; only a job failed for good is given up.
    if ((await job.getState()) !== 'failed') return;
    const finished = await this.finish(job.id!, { type: 'failed', error: reason });
    if (finished && options.onAbandoned) {
      await options.onAbandoned(
        { id: job.id!, userId: job.data.userId, kind, payload: job.data.payload },
        reason,
      );
    }
  }

  private async finish(id: string, event: JobEvent): Promise<boolean> {
    const outcome = event.type === 'progress' ? 'completed' : event.type;
    const done = await this.redis.eval(
      FINISH_SCRIPT,
      0,
      this.P,
      id,
      outcome,
      this.terminal(id, event),
      this.retain(),
    );
    if (done === 1) void this.dispatch();
    return done === 1;
  }

  private onMessage(channel: string, message: string): void {
    if (channel === `${this.P}:cancel`) {
      this.controllers.get(message)?.abort(new Error(`job ${message} was cancelled`));
      return;
    }
    const { id, event } = JSON.parse(message) as TerminalMessage;
    this.emit(id, event);
  }

  private ensureQueueEvents(): void {
    if (this.events.length > 0 || this.closed) return;
    for (const kind of JOB_KINDS) {
      const events = new QueueEvents(this.queueName(kind), { connection: this.redis, prefix: this.prefix });
      events.on('progress', ({ jobId, data }) => {
        const { fraction, detail } = data as { fraction: number; detail?: unknown };
        this.emit(jobId, { type: 'progress', fraction, detail });
      });
      events.on('error', (error) => process.emitWarning(`queue events: ${errorMessage(error)}`));
      this.events.push(events);
    }
  }

  private emit(id: string, event: JobEvent): void {
    this.listeners.emit(id, event);
  }

  private queue(kind: JobKind): Queue<BullJobData> {
    let queue = this.queues.get(kind);
    if (!queue) {
      queue = new Queue<BullJobData>(this.queueName(kind), { connection: this.redis, prefix: this.prefix });
      this.queues.set(kind, queue);
    }
    return queue;
  }

  private queueName(kind: JobKind): string {
    return `jobs-${kind}`;
  }

  private terminal(id: string, event: JobEvent): string {
    return JSON.stringify({ id, event } satisfies TerminalMessage);
  }

  private retain(): number {
    return this.options.retainFinishedSeconds ?? 7 * 24 * 3600;
  }
}
