// Queue tests against a real Redis (no mocks): fairness, exactly-once submission, progress, cancellation,
// retries, failures, and a runner killed with SIGKILL mid-job.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { expectChildrenStartAtTheCap, recorder } from '../test-support/queue-contract';
import { sleep, testRedisUrl, uniquePrefix, waitFor } from '../test-support/redis';
import { killRunnerProcesses, startRunnerProcess as startRunner } from '../test-support/runner-process';
import { BullMqQueue, type BullMqQueueOptions } from './bullmq';
import { PermanentJobError } from './queue';

const redisUrl = testRedisUrl();
const open: { close(): Promise<void> }[] = [];

async function makeQueue(name: string, options: Partial<BullMqQueueOptions> = {}) {
  const queue = new BullMqQueue({
    redisUrl,
    prefix: uniquePrefix(name),
    maxActivePerUser: 2,
    backoffMs: 10,
    lockDurationMs: 2_000,
    stalledIntervalMs: 1_000,
    dispatchIntervalMs: 200,
    ...options,
  });
  open.push(queue);
  await queue.ready();
  return queue;
}

afterEach(async () => {
  killRunnerProcesses();
  await Promise.all(open.splice(0).map((q) => q.close()));
});

describe('BullMqQueue', () => {
  it('starts the child jobs of a parent whose user is at the active-job cap', async () => {
    const queue = await makeQueue('children', { maxActivePerUser: 1 });
    await expectChildrenStartAtTheCap(queue);
  });

  it("starts a user's single job before the fourth job of a user who queued fifty first", async () => {
    // Bound: with a per-user limit of L (2 here) only L of A's jobs can be dispatched ahead of B's,
    // so B's job is among the first L + 1 to start, whatever the queue's length.
    const queue = await makeQueue('fair');
    const order: string[] = [];
    const done = recorder(queue, 'B-0');
    for (let i = 0; i < 50; i++)
      await queue.add({ id: `A-${i}`, userId: 'A', kind: 'backtest', payload: { i } });
    await queue.add({ id: 'B-0', userId: 'B', kind: 'backtest', payload: null });

    queue.process(
      'backtest',
      async ({ job }) => {
        order.push(job.id);
      },
      { concurrency: 1 },
    );
    await waitFor("B's job to complete", () => done.length > 0);

    expect(order.indexOf('B-0')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('B-0')).toBeLessThanOrEqual(2);
    expect(order.slice(0, 2).every((id) => id.startsWith('A-'))).toBe(true);
  });

  it('runs a job once when the same id is submitted twice, even after it finished', async () => {
    const queue = await makeQueue('once');
    let runs = 0;
    const events = recorder(queue, 'x');
    queue.process('backtest', async () => void runs++, { concurrency: 1 });

    await Promise.all([
      queue.add({ id: 'x', userId: 'u', kind: 'backtest', payload: 1 }),
      queue.add({ id: 'x', userId: 'u', kind: 'backtest', payload: 2 }),
    ]);
    await waitFor('completion', () => events.length > 0);
    await queue.add({ id: 'x', userId: 'u', kind: 'backtest', payload: 3 });
    await sleep(300);

    expect(runs).toBe(1);
    expect(events).toEqual([{ type: 'completed' }]);
  });

  it('hands the payload to the handler and streams progress to a subscriber in another process', async () => {
    const prefix = uniquePrefix('progress');
    const runner = await makeQueue('unused', { prefix });
    const server = await makeQueue('unused', { prefix });
    let payload: unknown;
    runner.process(
      'backtest',
      async ({ job, progress }) => {
        payload = job.payload;
        for (const fraction of [0.25, 0.5, 1]) {
          progress(fraction, { bars: fraction * 100 });
          await sleep(30);
        }
      },
      { concurrency: 1 },
    );
    const events = recorder(server, 'p');
    await sleep(200); // QueueEvents reads new events only: let it connect first.

    await server.add({ id: 'p', userId: 'u', kind: 'backtest', payload: { runId: 'p', n: 3 } });
    await waitFor('completion', () => events.some((e) => e.type === 'completed'));

    expect(payload).toEqual({ runId: 'p', n: 3 });
    expect(events).toEqual([
      { type: 'progress', fraction: 0.25, detail: { bars: 25 } },
      { type: 'progress', fraction: 0.5, detail: { bars: 50 } },
      { type: 'progress', fraction: 1, detail: { bars: 100 } },
      { type: 'completed' },
    ]);
  });

  it('aborts a running job cancelled from another process', async () => {
    const prefix = uniquePrefix('cancel');
    const runner = await makeQueue('unused', { prefix });
    const server = await makeQueue('unused', { prefix });
    let started = false;
    let aborted = false;
    runner.process(
      'backtest',
      async ({ signal }) => {
        started = true;
        while (!signal.aborted) await sleep(10);
        aborted = true;
      },
      { concurrency: 1 },
    );
    const events = recorder(server, 'c');
    await server.add({ id: 'c', userId: 'u', kind: 'backtest', payload: null });
    await waitFor('the job to start', () => started);

    await server.cancel('c');
    await waitFor('cancellation', () => events.length > 0);

    expect(aborted).toBe(true);
    expect(events).toEqual([{ type: 'canceled' }]);
    expect(await server.depth()).toEqual({ waiting: 0, active: 0 });
  });

  it('cancels a job held back by the per-user limit without running it, and frees nothing it did not hold', async () => {
    const queue = await makeQueue('cancel-waiting', { maxActivePerUser: 1 });
    const ran: string[] = [];
    const second = recorder(queue, 'w2');
    const third = recorder(queue, 'w3');
    await queue.add({ id: 'w1', userId: 'u', kind: 'backtest', payload: null });
    await queue.add({ id: 'w2', userId: 'u', kind: 'backtest', payload: null });
    await queue.add({ id: 'w3', userId: 'u', kind: 'backtest', payload: null });
    expect(await queue.depth()).toEqual({ waiting: 3, active: 0 });

    await queue.cancel('w2');
    queue.process('backtest', async ({ job }) => void ran.push(job.id), { concurrency: 1 });
    await waitFor('w3', () => third.length > 0);

    expect(ran).toEqual(['w1', 'w3']);
    expect(second).toEqual([{ type: 'canceled' }]);
  });

  it('retries a transient error and stores the failure of a permanent one', async () => {
    const queue = await makeQueue('retry', { attempts: 3 });
    const attempts: [string, number, boolean][] = [];
    queue.process(
      'backtest',
      async ({ job, attempt, isFinalAttempt }) => {
        attempts.push([job.id, attempt, isFinalAttempt]);
        if (job.id === 'flaky' && attempt < 2) throw new Error('connection reset');
        if (job.id === 'broken') throw new PermanentJobError('compile failed: node n1 has no input');
      },
      { concurrency: 1 },
    );
    const flaky = recorder(queue, 'flaky');
    const broken = recorder(queue, 'broken');

    await queue.add({ id: 'flaky', userId: 'u', kind: 'backtest', payload: null });
    await queue.add({ id: 'broken', userId: 'u', kind: 'backtest', payload: null });
    await waitFor('both to finish', () => flaky.length > 0 && broken.length > 0);

    expect(flaky).toEqual([{ type: 'completed' }]);
    expect(broken).toEqual([{ type: 'failed', error: 'compile failed: node n1 has no input' }]);
    expect(attempts.filter(([id]) => id === 'flaky')).toEqual([
      ['flaky', 1, false],
      ['flaky', 2, false],
    ]);
    expect(attempts.filter(([id]) => id === 'broken')).toHaveLength(1);
  });

  it('fails a job whose transient error outlasts its attempts', async () => {
    const queue = await makeQueue('exhaust', { attempts: 2 });
    queue.process(
      'backtest',
      async ({ attempt }) => {
        throw new Error(`timeout on attempt ${attempt}`);
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'e');

    await queue.add({ id: 'e', userId: 'u', kind: 'backtest', payload: null });
    await waitFor('failure', () => events.length > 0);

    expect(events).toEqual([{ type: 'failed', error: 'timeout on attempt 2' }]);
  });

  it('hands a job dispatched by a process that died before BullMQ got it to a runner', async () => {
    const prefix = uniquePrefix('repair');
    const queue = await makeQueue('unused', { prefix });
    const redis = new Redis(redisUrl);
    open.push({ close: async () => void (await redis.quit()) });
    // Simulate the crash window: the job is marked dispatched 10 s ago but never reached BullMQ.
    const P = `${prefix}:cf`;
    await redis.hset(
      `${P}:job:orphan`,
      'userId',
      'u',
      'kind',
      'backtest',
      'payload',
      '{"n":1}',
      'state',
      'dispatched',
    );
    await redis.sadd(`${P}:active:u`, 'orphan');
    await redis.zadd(`${P}:dispatched`, Date.now() - 10_000, 'orphan');
    const events = recorder(queue, 'orphan');
    let payload: unknown;
    queue.process(
      'backtest',
      async ({ job }) => {
        payload = job.payload;
      },
      { concurrency: 1 },
    );

    await queue.reconcile();
    await waitFor('the orphan to run', () => events.length > 0);

    expect(payload).toEqual({ n: 1 });
    expect(await redis.scard(`${P}:active:u`)).toBe(0);
  });

  it('completes a job exactly once on another runner when its runner is killed with SIGKILL mid-job', async () => {
    const prefix = uniquePrefix('crash');
    const options = {
      mode: 'sleep',
      redisUrl,
      prefix,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      jobMs: 1_500,
    };
    const first = startRunner(options);
    await first.lineMatching(/^ready$/);
    const server = await makeQueue('unused', { prefix });
    const events = recorder(server, 'slow');

    await server.add({ id: 'slow', userId: 'u', kind: 'backtest', payload: null });
    await first.lineMatching(/^started slow 1$/);
    const second = startRunner(options);
    await second.lineMatching(/^ready$/);
    first.child.kill('SIGKILL');
    await second.lineMatching(/^started slow 2$/, 15_000);
    await waitFor('completion', () => events.some((e) => e.type === 'completed'), 15_000);
    await sleep(1_500); // room for a duplicate completion, should one happen

    const redis = new Redis(redisUrl);
    const starts = await redis.lrange(`${prefix}:test:starts`, 0, -1);
    const results = await redis.lrange(`${prefix}:test:results`, 0, -1);
    await redis.quit();
    expect(starts).toEqual([`slow:1:${first.child.pid}`, `slow:2:${second.child.pid}`]);
    expect(results).toEqual([`slow:2:${second.child.pid}`]);
    expect(events.filter((e) => e.type !== 'progress')).toEqual([{ type: 'completed' }]);
  });
});
