// The parent does not wait forever for a child it does not hear from: batches whose end messages are lost
// end from the store (once each), a vanished child is submitted again, and one lost twice is given up.
// Real queues (in-process and BullMQ), real trials on a worker thread, real PostgreSQL; only the messages
// between the queue and the parent are lost, by a thin wrapper.
import { createOptimizationStore, openTestDatabase, type PrismaClient } from '@candleflow/db';
import type { TrialMetrics } from '@candleflow/optimize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetFile } from '../dataset-file';
import { BullMqQueue } from '../queue/bullmq';
import { InProcessQueue } from '../queue/in-process';
import type {
  JobEvent,
  JobHandler,
  JobKind,
  JobListener,
  JobQueue,
  JobSpec,
  ProcessOptions,
} from '../queue/queue';
import { createOptimization, smallGrid } from '../test-support/optimization';
import { testRedisUrl, uniquePrefix, waitFor } from '../test-support/redis';
import { type Seeded, seedBacktestInputs } from '../test-support/seed';
import { type BatchEnd, ChildJobs } from './children';
import type { TrialTask } from './evaluate';
import { createOptimizeProcessor } from './optimize-job';
import type { OptimizationStore } from './store';
import { TrialPool } from './trial-pool';
import { createTrialsProcessor, type TrialsPayload } from './trials-job';

/** The real queue, except that the end messages the parent hears, or the jobs it submits, can be lost. */
class LossyQueue implements JobQueue {
  readonly added: JobSpec[] = [];
  private readonly held: (() => void)[] = [];

  constructor(
    private readonly inner: JobQueue,
    private readonly loss: {
      /** lost: never delivered; held: delivered by release(), even to listeners that stopped listening. */
      readonly endMessages?: 'lost' | 'held';
      /** Jobs accepted by add() that never reach the queue (a child that vanished). */
      readonly loseJob?: (job: JobSpec, added: readonly JobSpec[]) => boolean;
    },
  ) {}

  async add(job: JobSpec): Promise<void> {
    const lose = this.loss.loseJob?.(job, this.added) ?? false;
    this.added.push(job);
    if (!lose) await this.inner.add(job);
  }

  cancel(id: string): Promise<void> {
    return this.inner.cancel(id);
  }

  subscribe(id: string, listener: JobListener): () => void {
    return this.inner.subscribe(id, (event: JobEvent) => {
      if (event.type === 'progress' || !this.loss.endMessages) listener(event);
      else if (this.loss.endMessages === 'held') this.held.push(() => listener(event));
    });
  }

  release(): number {
    const held = this.held.splice(0);
    for (const deliver of held) deliver();
    return held.length;
  }

  process<P>(kind: JobKind, handler: JobHandler<P>, options: ProcessOptions): void {
    this.inner.process(kind, handler, options);
  }

  depth() {
    return this.inner.depth();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Whether a job is a trials batch holding the trial with this index. */
const holds = (index: number) => (job: JobSpec) =>
  job.kind === 'trials' && (job.payload as TrialsPayload).tasks.some((task) => task.index === index);

describe('child jobs the parent does not hear from', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let prisma: PrismaClient;
  let seeded: Seeded;
  let store: OptimizationStore;
  let pool: TrialPool;
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    prisma = db.prisma;
    seeded = await seedBacktestInputs(prisma, db.dataDir, 'children@example.com');
    store = createOptimizationStore<TrialMetrics>(prisma);
    pool = new TrialPool(1, db.dataDir);
    // Start the thread now, so its boot does not count as a child nobody runs.
    const optimization = await store.loadOptimization(await createOptimization(prisma, seeded, smallGrid));
    await pool.evaluate(
      {
        key: 'warm-up',
        graph: optimization!.strategyVersion.graph,
        settings: {},
        dataset: optimization!.dataset,
      },
      [],
      { cpuLimitMs: 60_000 },
    );
  }, 30_000);

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
  });

  afterAll(async () => {
    await pool?.close();
    await db?.close();
  });

  async function inProcessQueue(): Promise<JobQueue> {
    const queue = new InProcessQueue({ maxActivePerUser: 2 });
    queues.push(queue);
    queue.process('trials', createTrialsProcessor({ store, pool }), { concurrency: 1 });
    return queue;
  }

  async function bullMqQueue(): Promise<JobQueue> {
    const queue = new BullMqQueue({
      redisUrl: testRedisUrl(),
      prefix: uniquePrefix('children'),
      maxActivePerUser: 2,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      dispatchIntervalMs: 200,
    });
    queues.push(queue);
    await queue.ready();
    queue.process('trials', createTrialsProcessor({ store, pool }), { concurrency: 1 });
    return queue;
  }

  /** A running optimization with `count` planned trials of 1,000 bars each. */
  async function plannedTrials(count: number): Promise<{ id: string; tasks: TrialTask[] }> {
    const id = await createOptimization(prisma, seeded, smallGrid);
    await store.markRunning(id, 1);
    const tasks = Array.from({ length: count }, (_, index) => ({
      index,
      params: { fast: 3 + index, slow: 30, atrMult: 2, rsiPeriod: 14, rsiMax: 70 },
      window: { from: 100, to: 1100 },
      warmupBars: 100,
      key: `${id}-${index}`,
    }));
    await store.planTrials(
      id,
      tasks.map((task) => ({ ...task, phase: 'SEARCH' as const, fold: null, resultKey: task.key })),
    );
    return { id, tasks };
  }

  /** Runs the trials in batches of two, at most two in flight; returns every batch end the parent heard. */
  async function runBatches(
    queue: JobQueue,
    id: string,
    tasks: readonly TrialTask[],
    lostAfterMs = 60_000,
  ): Promise<BatchEnd[]> {
    const ends: BatchEnd[] = [];
    const children = new ChildJobs({
      queue,
      store,
      optimizationId: id,
      userId: seeded.userId,
      attempt: 1,
      maxInFlight: 2,
      signal: new AbortController().signal,
      checkEveryMs: 50,
      lostAfterMs,
      onBatchEnd: (end) => {
        ends.push(end);
      },
    });
    await children.run(tasks, () => 2);
    return ends;
  }

  const indicesOf = (ends: readonly BatchEnd[]) =>
    ends.flatMap((end) => end.tasks.map((task) => task.index)).sort((a, b) => a - b);

  async function evaluated(id: string) {
    return (await store.loadTrials(id)).filter((trial) => trial.evaluated && trial.metrics !== null).length;
  }

  it.each([
    ['the in-process queue', inProcessQueue],
    ['BullMQ', bullMqQueue],
  ])(
    'ends every batch from the store when no end message arrives (%s)',
    async (_, makeQueue) => {
      const { id, tasks } = await plannedTrials(6);
      const queue = new LossyQueue(await makeQueue(), { endMessages: 'lost' });

      const ends = await runBatches(queue, id, tasks);

      expect(ends).toHaveLength(3);
      expect(indicesOf(ends)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(ends.map((end) => end.error)).toEqual([null, null, null]);
      expect(await evaluated(id)).toBe(6);
    },
    20_000,
  );

  it('hears a batch end once when its message arrives after the store showed it', async () => {
    const { id, tasks } = await plannedTrials(6);
    const queue = new LossyQueue(await inProcessQueue(), { endMessages: 'held' });

    const ends = await runBatches(queue, id, tasks);
    const late = queue.release();
    await new Promise((resolve) => setImmediate(resolve));

    expect(late).toBe(3);
    expect(ends).toHaveLength(3);
    expect(indicesOf(ends)).toEqual([0, 1, 2, 3, 4, 5]);
  }, 20_000);

  it('submits the trials of a child that vanished once more, and they are evaluated', async () => {
    const { id, tasks } = await plannedTrials(6);
    const queue = new LossyQueue(await inProcessQueue(), {
      loseJob: (job, added) => holds(2)(job) && !added.some(holds(2)),
    });

    const ends = await runBatches(queue, id, tasks, 2_000);

    expect(queue.added.filter(holds(2))).toHaveLength(2);
    expect(ends.map((end) => end.error)).toEqual([null, null, null]);
    expect(indicesOf(ends)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await evaluated(id)).toBe(6);
  }, 20_000);

  it('gives up on the trials of a child lost twice and says so', async () => {
    const { id, tasks } = await plannedTrials(6);
    const queue = new LossyQueue(await inProcessQueue(), { loseJob: holds(2) });

    const ends = await runBatches(queue, id, tasks, 2_000);

    expect(queue.added.filter(holds(2))).toHaveLength(2);
    expect(indicesOf(ends)).toEqual([0, 1, 2, 3, 4, 5]);
    const lost = ends.find((end) => end.tasks.some((task) => task.index === 2));
    expect(lost?.error).toMatch(
      /child job was lost: no runner reported on it for 2 s, nor on its resubmission/,
    );
    expect(ends.filter((end) => end.error === null)).toHaveLength(2);
    expect(await evaluated(id)).toBe(4);
  }, 20_000);

  it('completes an optimization whose children are never heard from', async () => {
    const inner = new InProcessQueue({ maxActivePerUser: 2 });
    queues.push(inner);
    const lossy = new LossyQueue(inner, { endMessages: 'lost' });
    inner.process('trials', createTrialsProcessor({ store, pool }), { concurrency: 1 });
    inner.process(
      'optimize',
      createOptimizeProcessor({
        store,
        queue: lossy,
        pool,
        loadDataset: (dataset) => loadDatasetFile(db.dataDir, dataset),
        checkChildrenEveryMs: 50,
      }),
      { concurrency: 1 },
    );
    const id = await createOptimization(prisma, seeded, { ...smallGrid, reuseResults: false });
    const events: JobEvent[] = [];
    inner.subscribe(id, (event) => events.push(event));

    await inner.add({ id, userId: seeded.userId, kind: 'optimize', payload: { optimizationId: id } });
    await waitFor('the optimization to end', () => events.some((e) => e.type !== 'progress'), 30_000);

    const row = await prisma.optimization.findUniqueOrThrow({ where: { id } });
    expect(events.at(-1)).toEqual({ type: 'completed' });
    expect([row.status, row.doneTrials, row.error]).toEqual(['SUCCEEDED', 10, null]);
    expect(lossy.added.filter((job) => job.kind === 'trials').length).toBeGreaterThan(0);
    expect(await evaluated(id)).toBe(10);
  }, 40_000);
});
