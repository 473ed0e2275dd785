import { describe, expect, it } from 'vitest';
import { compactEquity } from './compact-equity';

const curve = (values: number[]) => values.map((equity, time) => ({ time, equity }));

describe('compactEquity', () => {
  it('keeps a short curve as it is', () => {
    const points = curve([1, 2, 3]);

    expect(compactEquity(points, 10)).toEqual(points);
  });

  it('shrinks a long curve to at most maxPoints, in time order, keeping first, last and extremes', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => 1000 + Math.sin(i / 500) * 100);
    values[31_337] = 10; // the deepest drawdown
    values[77_777] = 5000; // the highest peak
    const points = curve(values);

    const out = compactEquity(points, 500);

    expect(out.length).toBeLessThanOrEqual(500);
    expect(out[0]).toEqual(points[0]);
    expect(out.at(-1)).toEqual(points.at(-1));
    expect(out.map((p) => p.equity)).toContain(10);
    expect(out.map((p) => p.equity)).toContain(5000);
    expect(out.every((p, i) => i === 0 || p.time > out[i - 1]!.time)).toBe(true);
  });

  it('refuses a budget too small to keep both ends and a bucket', () => {
    expect(() => compactEquity(curve([1, 2, 3, 4, 5]), 3)).toThrow(/at least 4/);
  });
});
