// computeMetrics on an equity curve given as columns (what a backtest keeps) rather than point objects:
// the same numbers to the bit, and the same checks on corrupt input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EquityPoint } from '../types';
import { computeMetrics, type EquityColumns, type MetricsInput } from './metrics';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function columnsOf(points: readonly EquityPoint[]): EquityColumns {
  return {
    time: Float64Array.from(points, (p) => p.time),
    equity: Float64Array.from(points, (p) => p.equity),
  };
}

function base(equity: MetricsInput['equity'], barMs: number): MetricsInput {
  return { equity, trades: [], initialCash: 1000, barMs, feesPaid: 0, fundingPaid: 0, exposureBars: 1 };
}

/** Equity curves with small positive steps, sometimes a bust (a zero) part-way. */
const curves = fc
  .record({
    steps: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 0, maxLength: 400 }),
    barMs: fc.constantFrom(60_000, HOUR, DAY, 7 * DAY),
    bustAt: fc.option(fc.nat({ max: 400 }), { nil: null }),
  })
  .map(({ steps, barMs, bustAt }) => {
    let value = 1000;
    const points = steps.map((step, i) => {
      value = i === bustAt ? 0 : value * (1 + step);
      return { time: START + i * barMs, equity: value };
    });
    return { points, barMs };
  });

describe('computeMetrics on equity columns', () => {
  it('gives exactly the metrics of the same curve as points, in both annualisations', () => {
    fc.assert(
      fc.property(curves, fc.constantFrom('crypto' as const, 'backtesting.py' as const), (curve, how) => {
        const fromPoints = computeMetrics({ ...base(curve.points, curve.barMs), annualisation: how });

        const fromColumns = computeMetrics({
          ...base(columnsOf(curve.points), curve.barMs),
          annualisation: how,
        });

        expect(fromColumns).toEqual(fromPoints);
      }),
      { numRuns: 150 },
    );
  });

  it('sums per-bar returns in order, so Sharpe and Sortino equal the sums over a returns array bit for bit', () => {
    const values = [1000, 1013.7, 1002.2, 1029.9, 1018.4, 1040.1, 1037.3];
    const points = values.map((equity, i) => ({ time: START + i * HOUR, equity }));
    const riskFree = 0.03;
    const periods = (365 * DAY) / HOUR;
    const returns = values.slice(1).map((v, i) => v / values[i]! - 1);
    const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
    const std = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1));
    const perBar = riskFree / periods;
    const downside = Math.sqrt(
      returns.map((r) => Math.min(0, r - perBar) ** 2).reduce((s, x) => s + x, 0) / returns.length,
    );

    const m = computeMetrics({ ...base(columnsOf(points), HOUR), riskFreeRate: riskFree });

    expect(m.sharpe).toBe(((mean - perBar) / std) * Math.sqrt(periods));
    expect(m.sortino).toBe(((mean - perBar) / downside) * Math.sqrt(periods));
    expect(m.annualVolatilityPct).toBe(std * Math.sqrt(periods) * 100);
  });

  it('refuses columns of different lengths, giving both', () => {
    const equity = { time: Float64Array.of(START, START + HOUR), equity: Float64Array.of(1000) };

    expect(() => computeMetrics(base(equity, HOUR))).toThrow(/differ in length \(time 2, equity 1\)/);
  });

  it('names the point of a non-finite value or a time out of order, as for points', () => {
    const nan = { time: Float64Array.of(START, START + HOUR), equity: Float64Array.of(1000, Number.NaN) };
    const backwards = { time: Float64Array.of(START + HOUR, START), equity: Float64Array.of(1000, 1001) };

    expect(() => computeMetrics(base(nan, HOUR))).toThrow(
      'equity point 1 is {"time":1704070800000,"equity":null}; equity and time must be finite numbers',
    );
    expect(() => computeMetrics(base(backwards, HOUR))).toThrow(
      /equity point 1 \(time 1704067200000\) is not after the one before it/,
    );
  });
});
