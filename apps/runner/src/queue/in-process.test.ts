import { describe, expect, it } from 'vitest';
import { expectChildrenStartAtTheCap, recorder } from '../test-support/queue-contract';
import { sleep, waitFor } from '../test-support/redis';
import { InProcessQueue } from './in-process';
import { type JobSpec, PermanentJobError } from './queue';

function job(id: string, userId = 'u1', payload: unknown = null): JobSpec {
  return { id, userId, kind: 'backtest', payload };
}

describe('InProcessQueue', () => {
  it('starts the child jobs of a parent whose user is at the active-job cap', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    await expectChildrenStartAtTheCap(queue);
    await queue.close();
  });

  it('runs a job once even when the same id is submitted twice', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 2 });
    let runs = 0;
    queue.process('backtest', async () => void runs++, { concurrency: 1 });
    const events = recorder(queue, 'a');

    await queue.add(job('a'));
    await queue.add(job('a'));
    await waitFor('completion', () => events.some((e) => e.type === 'completed'));
    await queue.add(job('a'));
    await sleep(20);

    expect(runs).toBe(1);
    await queue.close();
  });

  it('never runs more jobs at once than the concurrency', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 10 });
    let running = 0;
    let peak = 0;
    queue.process(
      'backtest',
      async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(10);
        running--;
      },
      { concurrency: 2 },
    );
    const last = recorder(queue, 'j5');

    for (let i = 0; i < 6; i++) await queue.add(job(`j${i}`, `user${i}`));
    await waitFor('the last job', () => last.length > 0);

    expect(peak).toBe(2);
    await queue.close();
  });

  it("starts another user's single job before the fourth job of a user who submitted fifty", async () => {
    // Per-user limit 2 and one slot: A's first two jobs may be ahead of B's, then B takes its turn.
    const queue = new InProcessQueue({ maxActivePerUser: 2 });
    const order: string[] = [];
    const done = recorder(queue, 'B-0');
    for (let i = 0; i < 50; i++) await queue.add(job(`A-${i}`, 'A'));
    await queue.add(job('B-0', 'B'));

    queue.process(
      'backtest',
      async ({ job: j }) => {
        order.push(j.id);
        await sleep(1);
      },
      { concurrency: 1 },
    );
    await waitFor("B's job", () => done.length > 0);

    expect(order.indexOf('B-0')).toBeLessThan(3);
    expect(order.indexOf('B-0')).toBeGreaterThanOrEqual(0);
    await queue.close();
  });

  it('holds a user at the per-user limit even when slots are free', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    let running = 0;
    let peak = 0;
    queue.process(
      'backtest',
      async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(5);
        running--;
      },
      { concurrency: 4 },
    );
    const last = recorder(queue, 'x3');

    for (let i = 0; i < 4; i++) await queue.add(job(`x${i}`, 'A'));
    await waitFor('the last job', () => last.length > 0);

    expect(peak).toBe(1);
    await queue.close();
  });

  it('streams progress to subscribers, then completion', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    queue.process(
      'backtest',
      async ({ progress }) => {
        progress(0.5, { bars: 5 });
        progress(1);
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'p');

    await queue.add(job('p'));
    await waitFor('completion', () => events.length === 3);

    expect(events).toEqual([
      { type: 'progress', fraction: 0.5, detail: { bars: 5 } },
      { type: 'progress', fraction: 1, detail: undefined },
      { type: 'completed' },
    ]);
    await queue.close();
  });

  it('aborts a running job on cancel and reports it cancelled', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    let sawAbort = false;
    queue.process(
      'backtest',
      async ({ signal }) => {
        while (!signal.aborted) await sleep(5);
        sawAbort = true;
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'c');
    await queue.add(job('c'));
    await waitFor('the job to start', async () => (await queue.depth()).active === 1);

    await queue.cancel('c');
    await waitFor('cancellation', () => events.length > 0);

    expect(sawAbort).toBe(true);
    expect(events).toEqual([{ type: 'canceled' }]);
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0 });
    await queue.close();
  });

  it('cancels a waiting job without running it', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    const ran: string[] = [];
    const events = recorder(queue, 'w2');
    await queue.add(job('w1'));
    await queue.add(job('w2'));
    expect(await queue.depth()).toEqual({ waiting: 2, active: 0 });

    await queue.cancel('w2');
    queue.process('backtest', async ({ job: j }) => void ran.push(j.id), { concurrency: 1 });
    await sleep(20);

    expect(ran).toEqual(['w1']);
    expect(events).toEqual([{ type: 'canceled' }]);
    await queue.close();
  });

  it('retries a transient error and tells the handler which attempt is the last', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1, attempts: 3, backoffMs: 1 });
    const seen: [number, boolean][] = [];
    queue.process(
      'backtest',
      async ({ attempt, isFinalAttempt }) => {
        seen.push([attempt, isFinalAttempt]);
        if (attempt < 3) throw new Error('database connection reset');
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'r');

    await queue.add(job('r'));
    await waitFor('completion', () => events.length > 0);

    expect(seen).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(events).toEqual([{ type: 'completed' }]);
    await queue.close();
  });

  it('fails a permanent error at once with its message', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1, attempts: 3, backoffMs: 1 });
    let runs = 0;
    queue.process(
      'backtest',
      async () => {
        runs++;
        throw new PermanentJobError('compile failed: node n1 has no input');
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'f');

    await queue.add(job('f'));
    await waitFor('failure', () => events.length > 0);

    expect(runs).toBe(1);
    expect(events).toEqual([{ type: 'failed', error: 'compile failed: node n1 has no input' }]);
    await queue.close();
  });

  it('fails after the last attempt of a transient error', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1, attempts: 2, backoffMs: 1 });
    queue.process(
      'backtest',
      async ({ attempt }) => {
        throw new Error(`timeout on attempt ${attempt}`);
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'g');

    await queue.add(job('g'));
    await waitFor('failure', () => events.length > 0);

    expect(events).toEqual([{ type: 'failed', error: 'timeout on attempt 2' }]);
    await queue.close();
  });

  it('keeps serving jobs when a subscriber throws', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    queue.process('backtest', async () => {}, { concurrency: 1 });
    queue.subscribe('s', () => {
      throw new Error('subscriber bug');
    });
    const events = recorder(queue, 's');

    await queue.add(job('s'));
    await waitFor('completion', () => events.length > 0);

    expect(events).toEqual([{ type: 'completed' }]);
    await queue.close();
  });

  it('on close aborts running handlers with a shutdown reason and refuses new jobs', async () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    let reason: unknown;
    queue.process(
      'backtest',
      async ({ signal }) => {
        while (!signal.aborted) await sleep(5);
        reason = signal.reason;
      },
      { concurrency: 1 },
    );
    const events = recorder(queue, 'k');
    await queue.add(job('k'));
    await waitFor('the job to start', async () => (await queue.depth()).active === 1);

    await queue.close();

    expect((reason as Error).name).toBe('QueueClosingError');
    expect(events).toEqual([]);
    await expect(queue.add(job('later'))).rejects.toThrow(/queue closed/);
  });

  it('rejects a second handler for the same kind and a bad concurrency', () => {
    const queue = new InProcessQueue({ maxActivePerUser: 1 });
    queue.process('backtest', async () => {}, { concurrency: 1 });

    expect(() => queue.process('backtest', async () => {}, { concurrency: 1 })).toThrow(/already registered/);
    expect(() => queue.process('optimize', async () => {}, { concurrency: 0 })).toThrow(/positive integer/);
  });
});
