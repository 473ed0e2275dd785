// Rolling mean and variance against a two-pass computation of each window, and their long-run stability.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';
import { RollingMoments } from './rolling-moments';
import { readNumber, readRecord, storeNumber } from './state';

function twoPass(window: readonly number[]): { mean: number; variance: number } {
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  return { mean, variance: window.reduce((a, b) => a + (b - mean) ** 2, 0) / window.length };
}

describe('RollingMoments', () => {
  it('equals a two-pass mean and population variance of every full window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (values, period) => {
          const moments = new RollingMoments(period);
          values.forEach((x, i) => {
            moments.push(x);
            if (i + 1 < period) return;
            const expected = twoPass(values.slice(i - period + 1, i + 1));
            expect(moments.average).toBeCloseTo(expected.mean, 6);
            expect(moments.variance).toBeCloseTo(expected.variance, 4);
          });
        },
      ),
    );
  });

  it('stays exact after a million slides over prices with a tiny spread', () => {
    const moments = new RollingMoments(50);
    const value = (i: number) => 30_000 + Math.sin(i) * 0.01;

    for (let i = 0; i < 1_000_000; i++) moments.push(value(i));

    const last = Array.from({ length: 50 }, (_, k) => value(1_000_000 - 50 + k));
    const expected = twoPass(last);
    expect(Math.abs(moments.average - expected.mean) / expected.mean).toBeLessThan(1e-12);
    expect(Math.abs(moments.variance - expected.variance) / expected.variance).toBeLessThan(1e-6);
  });
});

describe('RingBuffer', () => {
  it('returns the evicted value once full and reads oldest to newest', () => {
    const buffer = new RingBuffer(3);

    const evicted = [1, 2, 3, 4, 5].map((x) => buffer.push(x));

    expect(evicted.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(evicted.slice(3)).toEqual([1, 2]);
    expect([buffer.get(0), buffer.get(1), buffer.get(2)]).toEqual([3, 4, 5]);
    expect(buffer.fromEnd(0)).toBe(5);
  });

  it('round-trips NaN and infinities through a JSON snapshot', () => {
    const buffer = new RingBuffer(3);
    for (const x of [Number.NaN, Number.POSITIVE_INFINITY, -1]) buffer.push(x);

    const restored = new RingBuffer(3);
    restored.restore(JSON.parse(JSON.stringify(buffer.snapshot())), 'test');

    expect([restored.get(0), restored.get(1), restored.get(2)]).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -1,
    ]);
  });

  it('refuses a snapshot longer than its capacity and a non-positive capacity', () => {
    const buffer = new RingBuffer(2);

    expect(() => buffer.restore({ values: [1, 2, 3] }, 'sma')).toThrow(/holds 3 values but the window is 2/);
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});

describe('snapshot readers', () => {
  it('name the evaluator and the field when a snapshot has the wrong shape', () => {
    expect(() => readRecord([], 'rsi')).toThrow('rsi: cannot restore snapshot, it is not an object');
    expect(() => readNumber({ sum: 'x' }, 'sum', 'ema')).toThrow('"sum" is not a number');
    expect(readNumber({ v: storeNumber(Number.NEGATIVE_INFINITY) }, 'v', 'x')).toBe(Number.NEGATIVE_INFINITY);
  });
});
