import { describe, expect, it } from 'vitest';
import {
  deflatedSharpe,
  expectedMaxSharpe,
  probabilisticSharpe,
  probabilityOfBacktestOverfitting,
} from './overfitting';
import { seededRandom } from './random';
import type { DeflatedSharpeReport, PboReport } from './report';
import { sharpeOf } from './stats';

function noise(trials: number, periods: number, seed: number, drift = 0): Float64Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: trials }, () =>
    Float64Array.from({ length: periods }, () => drift + 0.01 * random.normal()),
  );
}

function asReport<T extends object>(result: T | { note: string }): T {
  if ('note' in result) throw new Error(result.note);
  return result;
}

describe('deflated Sharpe ratio', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014)', () => {
    // The paper: N = 100 trials whose annualised Sharpe ratios vary with V = 1/2; the best has an
    // annualised SR of 2.5 over T = 1250 daily observations (5 years of 250 days), skewness −3, kurtosis 10.
    // Per day: V = 0.5 / 250 = 0.002, SR = 2.5 / √250 = 0.158114.
    // SR0 = √0.002 · ((1 − γ)·Φ⁻¹(0.99) + γ·Φ⁻¹(1 − 1/(100e)))
    //     = 0.044721 · (0.422784 · 2.326348 + 0.577216 · 2.680595) = 0.044721 · 2.530617 = 0.1132
    const expected = expectedMaxSharpe(100, 0.5 / 250);
    expect(expected).toBeCloseTo(0.1132, 4);
    // DSR = Φ((0.158114 − 0.113172) · √1249 / √(1 + 3 · 0.158114 + (10 − 1)/4 · 0.158114²))
    //     = Φ(0.044942 · 35.341194 / √1.530592) = Φ(1.2838) = 0.9004, as the paper reports.
    const probability = probabilisticSharpe({
      sharpe: 2.5 / Math.sqrt(250),
      benchmark: expected,
      observations: 1250,
      skewness: -3,
      kurtosis: 10,
    });
    expect(probability).toBeCloseTo(0.9004, 4);
  });

  it('expects no luck from a single trial, so it is then the probabilistic Sharpe against zero', () => {
    expect(expectedMaxSharpe(1, 0.3)).toBe(0);
    const returns = noise(1, 400, 1, 0.002)[0]!;
    const sharpe = sharpeOf(returns)!;
    const report = asReport<DeflatedSharpeReport>(deflatedSharpe({ returns, trialSharpes: [sharpe] }));
    expect(report.expectedMaxSharpe).toBe(0);
    expect(report.trials).toBe(1);
    expect(report.observations).toBe(400);
    expect(report.sharpe).toBe(sharpe);
    expect(report.probability).toBe(
      probabilisticSharpe({
        sharpe,
        benchmark: 0,
        observations: 400,
        skewness: report.skewness,
        kurtosis: report.kurtosis,
      }),
    );
  });

  it('sees through the best of many noise trials, which alone would look significant', () => {
    // Twenty searches of 200 skill-less trials each. Picked as the best, a noise trial passes the plain
    // 95% test (trials = 1) almost always; deflated for the 200 trials, only about 5% of searches should.
    let naivePasses = 0;
    let deflatedPasses = 0;
    for (let search = 0; search < 20; search++) {
      const trials = noise(200, 480, 100 + search);
      const sharpes = trials.map((series) => sharpeOf(series)!);
      const bestIndex = sharpes.indexOf(Math.max(...sharpes));
      const best = trials[bestIndex]!;
      const naive = asReport<DeflatedSharpeReport>(
        deflatedSharpe({ returns: best, trialSharpes: [sharpes[bestIndex]!] }),
      );
      const deflated = asReport<DeflatedSharpeReport>(
        deflatedSharpe({ returns: best, trialSharpes: sharpes }),
      );
      expect(deflated.expectedMaxSharpe).toBeGreaterThan(0);
      if (naive.probability > 0.95) naivePasses++;
      if (deflated.probability > 0.95) deflatedPasses++;
    }
    expect(naivePasses).toBeGreaterThanOrEqual(18);
    expect(deflatedPasses).toBeLessThanOrEqual(3);
  });

  it('keeps a real edge significant after many trials', () => {
    const trials = noise(300, 480, 3);
    const edge = noise(1, 480, 4, 0.004)[0]!; // Sharpe about 0.4 per period
    const sharpes = [...trials.map((series) => sharpeOf(series)!), sharpeOf(edge)!];
    const report = asReport<DeflatedSharpeReport>(deflatedSharpe({ returns: edge, trialSharpes: sharpes }));
    expect(report.probability).toBeGreaterThan(0.99);
  });

  it('explains why it cannot be computed', () => {
    expect(deflatedSharpe({ returns: new Float64Array(100), trialSharpes: [0.1, 0.2] })).toEqual({
      note: "the best trial's returns never move, so it has no Sharpe ratio to deflate",
    });
    expect(deflatedSharpe({ returns: [0.1, 0.2, 0.3], trialSharpes: [0.1] })).toEqual({
      note: 'the deflated Sharpe ratio needs at least 10 return periods; the best trial has 3',
    });
    expect(() => deflatedSharpe({ returns: [0.1], trialSharpes: [Number.NaN] })).toThrow(
      /trial Sharpe 0 is NaN/,
    );
  });
});

describe('probability of backtest overfitting', () => {
  it('is about one half for trials that are pure noise', () => {
    const report = asReport<PboReport>(probabilityOfBacktestOverfitting(noise(20, 480, 5)));
    expect(report.partitions).toBe(16);
    expect(report.combinations).toBe(12_870);
    expect(report.probability).toBeGreaterThan(0.3);
    expect(report.probability).toBeLessThan(0.7);
    expect(report.logits.counts.reduce((a, b) => a + b, 0)).toBe(12_870);
    expect(report.degradation).toHaveLength(500);
  });

  it('is high when the in-sample winners are the out-of-sample losers', () => {
    // Every trial nets to zero over the whole sample, so what it gains in one half it gives back in the other.
    const trials = noise(20, 480, 6).map((series) => {
      const average = series.reduce((sum, r) => sum + r, 0) / series.length;
      return series.map((r) => r - average);
    });
    const report = asReport<PboReport>(probabilityOfBacktestOverfitting(trials));
    expect(report.probability).toBeGreaterThan(0.9);
    for (const point of report.degradation) expect(point.outOfSample).toBeLessThan(point.inSample);
  });

  it('is zero when one trial beats the others in every period', () => {
    const trials = noise(20, 480, 7);
    trials[3] = trials[3]!.map((r) => r + 0.02);
    const report = asReport<PboReport>(probabilityOfBacktestOverfitting(trials));
    expect(report.probability).toBe(0);
    expect(report.logits.edges[0]).toBeGreaterThan(0);
  });

  it('uses fewer partitions when there are many trials or few periods, and leaves out the remainder', () => {
    // C(16, 8) · 300 · 16 = 61.8 million operations exceeds the budget; C(14, 7) · 300 · 14 = 14.4 million does not.
    const many = asReport<PboReport>(probabilityOfBacktestOverfitting(noise(300, 480, 8)));
    expect(many.partitions).toBe(14);
    expect(many.combinations).toBe(3432);
    // 43 periods: 10 partitions of 4 (3 periods left out); 12 would need 48.
    const short = asReport<PboReport>(probabilityOfBacktestOverfitting(noise(5, 43, 9)));
    expect(short.partitions).toBe(10);
    expect(short.combinations).toBe(252);
    expect(
      asReport<PboReport>(probabilityOfBacktestOverfitting(noise(5, 43, 9), { partitions: 6 })).combinations,
    ).toBe(20);
  });

  it('explains why it cannot be computed and refuses series of different lengths', () => {
    expect(probabilityOfBacktestOverfitting(noise(1, 480, 10))).toEqual({
      note: 'the probability of backtest overfitting compares trials; it needs at least 2, got 1',
    });
    expect(probabilityOfBacktestOverfitting(noise(3, 15, 10))).toEqual({
      note: 'the probability of backtest overfitting needs at least 16 return periods per trial (4 partitions of 4); got 15',
    });
    expect(() => probabilityOfBacktestOverfitting([new Float64Array(40), new Float64Array(41)])).toThrow(
      /trial 1 has 41 return periods, trial 0 has 40/,
    );
    expect(() => probabilityOfBacktestOverfitting(noise(3, 40, 10), { partitions: 5 })).toThrow(
      /even whole number/,
    );
  });
});
