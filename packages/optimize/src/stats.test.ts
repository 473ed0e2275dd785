import { describe, expect, it } from 'vitest';
import {
  histogram,
  kurtosis,
  maxDrawdownPct,
  mean,
  normalCdf,
  normalQuantile,
  percentile,
  percentiles,
  sampleStd,
  sharpeOf,
  skewness,
} from './stats';

// Reference values computed with numpy 2.4 / scipy 1.17 (np.percentile, scipy.stats.skew,
// scipy.stats.kurtosis(fisher=False), np.std(ddof=1), scipy.stats.norm.cdf / norm.ppf).
const SAMPLE = [1, 2, 2, 3, 7, 11, -4, 0.5];

describe('moments and Sharpe', () => {
  it('match scipy on a small sample', () => {
    expect(mean(SAMPLE)).toBeCloseTo(2.8125, 12);
    expect(sampleStd(SAMPLE)).toBeCloseTo(4.487582072468743, 12);
    expect(skewness(SAMPLE)).toBeCloseTo(0.48453229813073606, 12);
    expect(kurtosis(SAMPLE)).toBeCloseTo(2.8161403630161717, 12);
  });

  it('gives a normal sample kurtosis near 3 (not excess) and skewness near 0', () => {
    const values = Array.from({ length: 20_001 }, (_, i) => normalQuantile((i + 0.5) / 20_001));
    expect(kurtosis(values)).toBeCloseTo(3, 1);
    expect(skewness(values)).toBeCloseTo(0, 6);
  });

  it('takes Sharpe per period as mean over sample deviation, and none for a flat or one-value series', () => {
    expect(sharpeOf(SAMPLE)).toBeCloseTo(2.8125 / 4.487582072468743, 12);
    expect(sharpeOf(Float32Array.from([0.01, 0.01, 0.01]))).toBeNull();
    expect(sharpeOf([0.5])).toBeNull();
  });
});

describe('percentile', () => {
  it('interpolates linearly between ranks like numpy', () => {
    expect(percentile(SAMPLE, 5)).toBeCloseTo(-2.425, 12);
    expect(percentile(SAMPLE, 37)).toBeCloseTo(1.59, 12);
    expect(percentile(SAMPLE, 0)).toBe(-4);
    expect(percentile(SAMPLE, 100)).toBe(11);
    expect(percentiles(SAMPLE)).toEqual({
      p5: expect.closeTo(-2.425, 12),
      p50: 2,
      p95: expect.closeTo(9.6, 12),
    });
  });

  it('does not reorder its input and refuses no values or a percentile outside 0..100', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile(values, 101)).toThrow(/between 0 and 100/);
  });
});

describe('histogram', () => {
  it('counts every value once in equal-width bins, the largest in the last bin', () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const { edges, counts } = histogram(values, 5);
    expect(edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(counts).toEqual([2, 2, 2, 2, 3]);
  });

  it('puts equal values in one bin and has no bins for no values', () => {
    expect(histogram([4, 4, 4])).toEqual({ edges: [4, 4], counts: [3] });
    expect(histogram([])).toEqual({ edges: [], counts: [] });
  });
});

describe('maxDrawdownPct', () => {
  it('measures the deepest fall from a running peak', () => {
    expect(maxDrawdownPct([100, 120, 90, 130, 104, 125])).toBeCloseTo(25, 12);
    expect(maxDrawdownPct([100, 101, 102])).toBe(0);
  });
});

describe('normal distribution', () => {
  it('matches scipy.stats.norm.cdf to 1e-15 absolute, 1e-8 relative far in the tail', () => {
    const reference: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-3, 0.0013498980316300933],
      [-1.5, 0.06680720126885807],
      [0, 0.5],
      [0.3, 0.6179114221889526],
      [1.96, 0.9750021048517795],
      [5, 0.9999997133484281],
    ];
    for (const [x, p] of reference) {
      expect(Math.abs(normalCdf(x) - p)).toBeLessThan(1e-15);
      expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-8);
    }
  });

  it('matches scipy.stats.norm.ppf and inverts the cdf', () => {
    const reference: [number, number][] = [
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.02, -2.053748910631823],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.99, 2.3263478740408408],
      [0.9999999, 5.199337582290661],
    ];
    for (const [p, x] of reference) expect(normalQuantile(p)).toBeCloseTo(x, 9);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(/between 0 and 1/);
  });
});
