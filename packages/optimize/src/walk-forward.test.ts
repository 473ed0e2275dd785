import { describe, expect, it } from 'vitest';
import {
  MIN_IN_SAMPLE_WARMUPS,
  MIN_OUT_OF_SAMPLE_BARS,
  stitchOutOfSample,
  walkForwardEfficiency,
  walkForwardWindows,
} from './walk-forward';

describe('walkForwardWindows', () => {
  it('rolls equal in-sample windows forward, each followed by its out-of-sample window, without overlap', () => {
    // 1000 tradable bars, 4 folds, r = 0.25: I = floor(1000 / 2) = 500, O = 125.
    const result = walkForwardWindows(1026, 26, { mode: 'rolling', folds: 4, oosRatio: 0.25 });
    if (!result.ok) throw new Error(result.message);
    expect(
      result.folds.map((f) => [f.inSample.from, f.inSample.to, f.outOfSample.from, f.outOfSample.to]),
    ).toEqual([
      [26, 526, 526, 651],
      [151, 651, 651, 776],
      [276, 776, 776, 901],
      [401, 901, 901, 1026],
    ]);
  });

  it('tiles the out-of-sample windows end to end inside the tradable bars for any fold count and ratio', () => {
    for (const folds of [2, 3, 5, 7, 20]) {
      for (const oosRatio of [0.05, 0.1, 0.25, 0.33, 1]) {
        for (const mode of ['rolling', 'anchored'] as const) {
          const result = walkForwardWindows(50_000, 100, { mode, folds, oosRatio });
          if (!result.ok) throw new Error(result.message);
          expect(result.folds).toHaveLength(folds);
          for (const [i, fold] of result.folds.entries()) {
            expect(fold.index).toBe(i);
            expect(fold.inSample.from).toBeGreaterThanOrEqual(100);
            expect(fold.inSample.to).toBe(fold.outOfSample.from);
            expect(fold.inSample.to - fold.inSample.from).toBeGreaterThanOrEqual(MIN_IN_SAMPLE_WARMUPS * 100);
            expect(fold.outOfSample.to - fold.outOfSample.from).toBeGreaterThanOrEqual(
              MIN_OUT_OF_SAMPLE_BARS,
            );
            expect(fold.outOfSample.to).toBeLessThanOrEqual(50_000);
            const next = result.folds[i + 1];
            if (next) expect(next.outOfSample.from).toBe(fold.outOfSample.to);
          }
        }
      }
    }
  });

  it('starts every anchored in-sample window at the first bar after warm-up and grows it by one out-of-sample length', () => {
    const result = walkForwardWindows(1026, 26, { mode: 'anchored', folds: 4, oosRatio: 0.25 });
    if (!result.ok) throw new Error(result.message);
    expect(result.folds.map((f) => f.inSample)).toEqual([
      { from: 26, to: 526 },
      { from: 26, to: 651 },
      { from: 26, to: 776 },
      { from: 26, to: 901 },
    ]);
    expect(result.folds.at(-1)?.outOfSample).toEqual({ from: 901, to: 1026 });
  });

  it('refuses a dataset too short for the windows and names the bars needed, which then suffice', () => {
    const spec = { mode: 'rolling', folds: 5, oosRatio: 0.25 } as const;
    const result = walkForwardWindows(426, 26, spec);
    if (result.ok) throw new Error('expected a refusal');
    // 10 × 26 warm-up bars = 260 > 200, so I ≥ 260: N ≥ 260 · (1 + 5 · 0.25) = 585 tradable bars, 611 in all.
    expect(result.neededBars).toBe(611);
    expect(result.message).toContain('the dataset has 400 bars after 26 warm-up bars');
    expect(result.message).toContain(
      '5 folds with out-of-sample 25% of in-sample need at least 585 (611 with the warm-up)',
    );
    expect(result.message).toContain('each in-sample window has at least 260 bars');
    expect(result.hint).toMatch(/longer dataset/);
    expect(walkForwardWindows(610, 26, spec).ok).toBe(false);
    expect(walkForwardWindows(611, 26, spec).ok).toBe(true);
  });

  it('asks for 200 in-sample bars when the warm-up is short', () => {
    // I ≥ 200: N ≥ 200 · (1 + 4 · 0.5) = 600.
    const spec = { mode: 'rolling', folds: 4, oosRatio: 0.5 } as const;
    const result = walkForwardWindows(599 + 5, 5, spec);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.neededBars).toBe(605);
    expect(walkForwardWindows(605, 5, spec).ok).toBe(true);
  });

  it('lets the out-of-sample minimum decide when the out-of-sample share is small', () => {
    // r = 0.1: O ≥ 50 needs I ≥ 500, so N ≥ 500 · (1 + 3 · 0.1) = 650.
    const spec = { mode: 'anchored', folds: 3, oosRatio: 0.1 } as const;
    const result = walkForwardWindows(600, 0, spec);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.neededBars).toBe(650);
    expect(walkForwardWindows(650, 0, spec).ok).toBe(true);
  });

  it('refuses when the warm-up takes every bar', () => {
    const result = walkForwardWindows(100, 200, { mode: 'rolling', folds: 2, oosRatio: 0.25 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('has 0 bars after 200 warm-up bars');
  });
});

describe('stitchOutOfSample', () => {
  it('scales each segment to start where the previous one ended, from the initial equity', () => {
    const stitched = stitchOutOfSample(
      [
        { time: [1, 2, 3], equity: [1000, 1100, 1200] },
        { time: [4, 5], equity: [1000, 900] },
        { time: [], equity: [] },
        { time: [6, 7], equity: [500, 600] },
      ],
      10_000,
    );
    expect(stitched.time).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // +20%, then −10% from 12,000, then +20% from 10,800.
    expect(stitched.equity).toEqual([10_000, 11_000, 12_000, 12_000, 10_800, 10_800, 12_960]);
  });

  it('refuses a segment that starts without money or whose columns differ in length', () => {
    expect(() => stitchOutOfSample([{ time: [1], equity: [0] }], 100)).toThrow(
      /segment 0 starts at equity 0/,
    );
    expect(() => stitchOutOfSample([{ time: [1, 2], equity: [5] }], 100)).toThrow(/2 times but 1 equity/);
  });
});

describe('walkForwardEfficiency', () => {
  it('divides the mean out-of-sample annual return by the mean in-sample one, over folds with both', () => {
    const efficiency = walkForwardEfficiency([
      { inSampleAnnualReturnPct: 40, outOfSampleAnnualReturnPct: 10 },
      { inSampleAnnualReturnPct: 20, outOfSampleAnnualReturnPct: 20 },
      { inSampleAnnualReturnPct: null, outOfSampleAnnualReturnPct: 90 },
      { inSampleAnnualReturnPct: 30, outOfSampleAnnualReturnPct: null },
    ]);
    expect(efficiency).toBeCloseTo(15 / 30, 12);
  });

  it('is undefined without a fold that has both or when the in-sample mean is not positive', () => {
    expect(walkForwardEfficiency([])).toBeNull();
    expect(
      walkForwardEfficiency([{ inSampleAnnualReturnPct: null, outOfSampleAnnualReturnPct: 5 }]),
    ).toBeNull();
    expect(
      walkForwardEfficiency([{ inSampleAnnualReturnPct: -5, outOfSampleAnnualReturnPct: 5 }]),
    ).toBeNull();
  });
});
