// The batch sizing rule: batches of about the target time, shrinking at the end of a round so no runner
// is left alone with a long batch, and sized from measured trial times once there are some.
import { seededRandom } from '@candleflow/optimize';
import { describe, expect, it } from 'vitest';
import { BatchSizer, batchSize } from './batch-size';
import type { TrialTask } from './evaluate';

function tasks(count: number, bars: number, warmupBars = 0): TrialTask[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    params: { fast: index },
    window: { from: warmupBars, to: warmupBars + bars },
    warmupBars,
    key: `k${index}`,
  }));
}

/**
 * A round on `threads` threads that take batches in the order they were submitted, while the parent keeps
 * `inFlight` batches submitted and cuts the next one (with `size`) whenever one ends. Returns when each
 * thread ran out of work and how many batches the round took.
 */
function simulateRound(input: {
  readonly trialMs: readonly number[];
  readonly threads: number;
  readonly inFlight: number;
  readonly size: (remaining: number) => number;
}) {
  const { trialMs, threads, inFlight, size } = input;
  let next = 0;
  let batches = 0;
  const queue: (readonly number[])[] = [];
  const cut = () => {
    const n = size(trialMs.length - next);
    queue.push(trialMs.slice(next, next + n));
    next += n;
    batches++;
  };
  while (next < trialMs.length && queue.length < inFlight) cut();
  const busyUntil = new Array<number>(threads).fill(0);
  const idleFrom = new Array<number>(threads).fill(Number.NaN);
  const take = (thread: number, now: number) => {
    const batch = queue.shift();
    if (batch) busyUntil[thread] = now + batch.reduce((sum, ms) => sum + ms, 0);
    else idleFrom[thread] = now;
  };
  for (let thread = 0; thread < threads; thread++) take(thread, 0);
  for (;;) {
    let thread = -1;
    for (let t = 0; t < threads; t++) {
      if (Number.isNaN(idleFrom[t]!) && (thread < 0 || busyUntil[t]! < busyUntil[thread]!)) thread = t;
    }
    if (thread < 0) break;
    if (next < trialMs.length) cut();
    take(thread, busyUntil[thread]!);
  }
  return { idleFrom, batches };
}

describe('batchSize', () => {
  it('fills a batch to the target time while many trials are left', () => {
    expect(batchSize({ remaining: 10_000, trialMs: 100, targetBatchMs: 2000, inFlight: 16 })).toBe(20);
    expect(batchSize({ remaining: 10_000, trialMs: 700, targetBatchMs: 2000, inFlight: 16 })).toBe(2);
  });

  it('spreads the last trials of a round over the batches in flight', () => {
    expect(batchSize({ remaining: 160, trialMs: 100, targetBatchMs: 2000, inFlight: 16 })).toBe(10);
    expect(batchSize({ remaining: 17, trialMs: 100, targetBatchMs: 2000, inFlight: 16 })).toBe(2);
    expect(batchSize({ remaining: 5, trialMs: 100, targetBatchMs: 2000, inFlight: 16 })).toBe(1);
  });

  it('puts at least one trial in a batch, even a slow one, and never more than are left', () => {
    expect(batchSize({ remaining: 3, trialMs: 60_000, targetBatchMs: 2000, inFlight: 16 })).toBe(1);
    expect(batchSize({ remaining: 3, trialMs: 0, targetBatchMs: 2000, inFlight: 1 })).toBe(3);
  });

  it('ends a 10,000-trial round on two threads within one trial of each other, for few extra batches', () => {
    const random = seededRandom(7);
    // Trials of 50–150 ms (the parameters change the cost), sized with their 100 ms mean.
    const trialMs = Array.from({ length: 10_000 }, () => 50 + 100 * random.next());
    const round = (size: (remaining: number) => number) =>
      simulateRound({ trialMs, threads: 2, inFlight: 16, size });

    const adaptive = round((remaining) =>
      batchSize({ remaining, trialMs: 100, targetBatchMs: 2000, inFlight: 16 }),
    );
    const fixed = round((remaining) => Math.min(20, remaining));

    const tail = (idleFrom: number[]) => Math.max(...idleFrom) - Math.min(...idleFrom);
    expect(tail(adaptive.idleFrom)).toBeLessThanOrEqual(150);
    expect(adaptive.batches).toBeLessThanOrEqual(10_000 / 20 + 80);
    // Batches of a fixed 2 s leave one thread working alone for a large part of a batch.
    expect(tail(fixed.idleFrom)).toBeGreaterThan(150);
  });
});

describe('BatchSizer', () => {
  it('sizes batches from the bar estimate until trials are measured, then from the measurements', () => {
    const sizer = new BatchSizer({ targetBatchMs: 2000, barCostMs: 0.001 });
    const round = tasks(10_000, 90_000, 10_000);
    expect(sizer.size(round[0]!, round.length, 16)).toBe(20); // 100,000 bars × 0.001 ms = 100 ms a trial

    sizer.observe(round.slice(0, 4).map((task) => ({ task, cpuMs: 400 })));
    expect(sizer.costPerBarMs()).toBeCloseTo(0.004);
    expect(sizer.size(round[0]!, round.length, 16)).toBe(5);

    sizer.observe(round.slice(4, 8).map((task) => ({ task, cpuMs: 200 })));
    expect(sizer.costPerBarMs()).toBeCloseTo(0.003);
    expect(sizer.size(round[0]!, round.length, 16)).toBe(6);
  });

  it('scales the measured cost per bar to shorter windows', () => {
    const sizer = new BatchSizer({ targetBatchMs: 2000, barCostMs: 0.001 });
    sizer.observe(tasks(2, 100_000).map((task) => ({ task, cpuMs: 400 })));

    expect(sizer.size(tasks(1, 25_000)[0]!, 10_000, 16)).toBe(20); // 25,000 bars × 0.004 ms = 100 ms a trial
  });

  it('keeps its estimate when a batch brought no measurement', () => {
    const sizer = new BatchSizer({ targetBatchMs: 2000, barCostMs: 0.001 });
    sizer.observe([]);

    expect(sizer.costPerBarMs()).toBe(0.001);
  });
});
