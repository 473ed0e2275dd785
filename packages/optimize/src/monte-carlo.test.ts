import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';
import type { MonteCarloDistribution } from './report';
import { monteCarlo } from './monte-carlo';

const SPEC = { runs: 500, ruinDrawdownPct: 50 };

function noisyTrades(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => 20 + 150 * random.normal());
}

function noisyReturns(count: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: count }, () => 0.0002 + 0.01 * random.normal());
}

function expectOrdered(distribution: MonteCarloDistribution): void {
  for (const stat of [distribution.finalEquity, distribution.maxDrawdownPct]) {
    expect(stat.p5).toBeLessThanOrEqual(stat.p50);
    expect(stat.p50).toBeLessThanOrEqual(stat.p95);
  }
  const { step, p5, p50, p95 } = distribution.bands;
  for (let i = 0; i < step.length; i++) {
    expect(p5[i]!).toBeLessThanOrEqual(p50[i]!);
    expect(p50[i]!).toBeLessThanOrEqual(p95[i]!);
    if (i > 0) expect(step[i]!).toBeGreaterThan(step[i - 1]!);
  }
}

describe('monteCarlo', () => {
  it('keeps the final equity when reshuffling trade order but not the drawdown', () => {
    const pnls = noisyTrades(60, 1);
    const report = monteCarlo({
      tradePnls: pnls,
      barReturns: [],
      initialEquity: 10_000,
      spec: SPEC,
      seed: 3,
    });
    const final = 10_000 + pnls.reduce((sum, pnl) => sum + pnl, 0);
    const reshuffle = report.reshuffle!;
    expect(reshuffle.finalEquity.p5).toBeCloseTo(final, 6);
    expect(reshuffle.finalEquity.p95).toBeCloseTo(final, 6);
    expect(reshuffle.finalEquity.histogram.counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(reshuffle.maxDrawdownPct.p95).toBeGreaterThan(reshuffle.maxDrawdownPct.p5);
    expect(reshuffle.bands.p50.at(-1)).toBeCloseTo(final, 6);
  });

  it('orders its percentiles and samples at most 100 band steps from the start to the end of the path', () => {
    const report = monteCarlo({
      tradePnls: noisyTrades(250, 2),
      barReturns: noisyReturns(3000, 3),
      initialEquity: 10_000,
      spec: SPEC,
      seed: 4,
    });
    for (const [distribution, length] of [
      [report.reshuffle!, 250],
      [report.tradeBootstrap!, 250],
      [report.blockBootstrap!, 3000],
    ] as const) {
      expectOrdered(distribution);
      expect(distribution.bands.step).toHaveLength(100);
      expect(distribution.bands.step[0]).toBe(0);
      expect(distribution.bands.step.at(-1)).toBe(length);
      expect(distribution.bands.p5[0]).toBe(10_000);
      expect(distribution.bands.p95[0]).toBe(10_000);
    }
    expect(report.blockBars).toBe(14); // round(3000^(1/3)) = round(14.42)
    expect(report.notes).toEqual([]);
  });

  it('centres the trade bootstrap on the expected final equity', () => {
    const pnls = noisyTrades(100, 5);
    const report = monteCarlo({
      tradePnls: pnls,
      barReturns: [],
      initialEquity: 100_000,
      spec: { ...SPEC, runs: 4000 },
      seed: 6,
    });
    const expected = 100_000 + pnls.reduce((sum, pnl) => sum + pnl, 0);
    // Spread of a 100-trade sum: 150 · √100 = 1,500; the median of 4000 paths lies well within 150 of the mean.
    expect(Math.abs(report.tradeBootstrap!.finalEquity.p50 - expected)).toBeLessThan(150);
    expect(report.tradeBootstrap!.finalEquity.p95 - report.tradeBootstrap!.finalEquity.p5).toBeGreaterThan(
      3000,
    );
  });

  it('gives every block-bootstrap path the same final equity when one block spans the whole run', () => {
    const returns = noisyReturns(200, 7);
    const report = monteCarlo({
      tradePnls: [],
      barReturns: returns,
      initialEquity: 1000,
      spec: { ...SPEC, blockBars: 200 },
      seed: 8,
    });
    // Each path is then a rotation of the run's returns, and a product does not care about order.
    const compounded = returns.reduce((equity, r) => equity * (1 + r), 1000);
    expect(report.blockBootstrap!.finalEquity.p5).toBeCloseTo(compounded, 8);
    expect(report.blockBootstrap!.finalEquity.p95).toBeCloseTo(compounded, 8);
  });

  it('counts every path as ruined for a strategy that always loses 60%', () => {
    const report = monteCarlo({
      tradePnls: [-600, -600, -600],
      barReturns: [-0.6, -0.6, -0.6, -0.6],
      initialEquity: 1000,
      spec: SPEC,
      seed: 9,
    });
    expect(report.reshuffle!.probabilityOfRuin).toBe(1);
    expect(report.tradeBootstrap!.probabilityOfRuin).toBe(1);
    expect(report.blockBootstrap!.probabilityOfRuin).toBe(1);
    // An account that has lost everything stops trading: it ends at zero, 100% down.
    expect(report.tradeBootstrap!.finalEquity.p95).toBe(0);
    expect(report.tradeBootstrap!.maxDrawdownPct.p5).toBe(100);
  });

  it('counts as ruin exactly the paths whose drawdown reaches the threshold', () => {
    // +100 then −100 falls 100/1100 = 9.09%; −100 then +100 falls 10%. Half the orders reach 9.5%.
    const report = monteCarlo({
      tradePnls: [100, -100],
      barReturns: [],
      initialEquity: 1000,
      spec: { runs: 2000, ruinDrawdownPct: 9.5 },
      seed: 10,
    });
    expect(report.reshuffle!.probabilityOfRuin).toBeGreaterThan(0.45);
    expect(report.reshuffle!.probabilityOfRuin).toBeLessThan(0.55);
    expect(report.reshuffle!.maxDrawdownPct.p5).toBeCloseTo(100 / 11, 10);
    expect(report.reshuffle!.maxDrawdownPct.p95).toBeCloseTo(10, 10);
  });

  it('draws the same paths for a seed and other paths for another seed', () => {
    const input = {
      tradePnls: noisyTrades(40, 11),
      barReturns: noisyReturns(500, 12),
      initialEquity: 5000,
      spec: SPEC,
    };
    const first = monteCarlo({ ...input, seed: 13 });
    expect(monteCarlo({ ...input, seed: 13 })).toEqual(first);
    const other = monteCarlo({ ...input, seed: 14 });
    expect(other.tradeBootstrap!.finalEquity).not.toEqual(first.tradeBootstrap!.finalEquity);
    expect(other.blockBootstrap!.finalEquity).not.toEqual(first.blockBootstrap!.finalEquity);
  });

  it('says why a method could not run', () => {
    const report = monteCarlo({
      tradePnls: [50],
      barReturns: [0.01],
      initialEquity: 1000,
      spec: SPEC,
      seed: 1,
    });
    expect(report.reshuffle).toBeNull();
    expect(report.tradeBootstrap).toBeNull();
    expect(report.blockBootstrap).toBeNull();
    expect(report.notes).toEqual([
      'trade reshuffling and the trade bootstrap need at least 2 closed trades; the run closed 1',
      'the block bootstrap needs at least 2 bars of returns; the run has 1',
    ]);
  });

  it('refuses a non-positive initial equity and returns that are not numbers', () => {
    const base = { tradePnls: [1, 2], barReturns: [0.1, 0.2], spec: SPEC, seed: 1 };
    expect(() => monteCarlo({ ...base, initialEquity: 0 })).toThrow(/positive initial equity/);
    expect(() => monteCarlo({ ...base, initialEquity: 100, barReturns: [0.1, Number.NaN] })).toThrow(
      /bar return 1 is NaN/,
    );
  });
});
