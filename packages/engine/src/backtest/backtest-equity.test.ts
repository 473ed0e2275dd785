// The equity curve of a result: kept as columns, with the point objects made only when someone reads them.
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../metrics/metrics';
import { flat, LONG, mark, plainSettings, run, T0, HOUR } from './test-support/strategy';

const bars = mark([[100, 100, 100, 100], [100, 106, 99, 105], [101, 103, 99, 102], ...flat(4)], 1, LONG);
const rules = [{ action: 'enter_long' as const, code: LONG, size: 'fixed_size(quantity: 2)' }];

describe('backtest equity curve', () => {
  it('gives the points as the columns hold them, one per bar', () => {
    const result = run(rules, bars);

    const { time, equity } = result.equityColumns;

    expect(time).toHaveLength(bars.length);
    expect(result.equity).toEqual(Array.from(time, (t, i) => ({ time: t, equity: equity[i] })));
    expect(result.equity[0]).toEqual({ time: T0, equity: 10_000 });
    // Filled at bar 2's open (101), marked at its close (102).
    expect(result.equity[2]?.equity).toBeCloseTo(10_002, 9);
    expect(time[2]).toBe(T0 + 2 * HOUR);
  });

  it('makes the points on first read only, then hands out the same array', () => {
    const result = run(rules, bars);
    const descriptor = Object.getOwnPropertyDescriptor(result, 'equity');

    const first = result.equity;

    expect(descriptor?.get).toBeTypeOf('function');
    expect(result.equity).toBe(first);
  });

  it('reports the metrics of its own equity curve', () => {
    const settings = plainSettings();
    const result = run(rules, bars, { settings });

    const again = computeMetrics({
      equity: result.equity,
      trades: result.trades,
      initialCash: settings.account.initialCash,
      barMs: HOUR,
      feesPaid: result.metrics.feesPaid,
      fundingPaid: result.metrics.fundingPaid,
      exposureBars: Math.round((result.metrics.exposureTimePct! / 100) * result.equity.length),
      annualisation: settings.annualisation,
    });

    expect(again).toEqual(result.metrics);
  });
});
