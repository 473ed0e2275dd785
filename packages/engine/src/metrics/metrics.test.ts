import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EquityPoint, Trade } from '../types';
import { computeMetrics, drawdownSeries, type Metrics, type MetricsInput } from './metrics';

const DAY = 86_400_000;
const MONDAY = Date.UTC(2024, 0, 1); // 2024-01-01 was a Monday

function curve(values: readonly number[], start = MONDAY, stepMs = DAY): EquityPoint[] {
  return values.map((equity, i) => ({ time: start + i * stepMs, equity }));
}

function trade(pnl: number, returnPct: number, days: number): Trade {
  return {
    symbol: 'BTC/USDT',
    direction: 'long',
    quantity: 1,
    entryTime: MONDAY,
    exitTime: MONDAY + days * DAY,
    entryBar: 0,
    exitBar: days,
    entryPrice: 100,
    exitPrice: 100 + pnl,
    pnl,
    returnPct,
    fees: 1,
    funding: 0,
    exitReason: 'exit',
  };
}

function input(overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    equity: curve([1000, 1100, 990, 1089, 1306.8]),
    trades: [trade(100, 10, 2), trade(-50, -5, 1), trade(200, 20, 3), trade(-100, -10, 2)],
    initialCash: 1000,
    barMs: DAY,
    feesPaid: 4,
    fundingPaid: -1.5,
    exposureBars: 3,
    ...overrides,
  };
}

/** Every number in the result is finite or null: no NaN or Infinity reaches a report. */
function expectNoNonFinite(metrics: Metrics): void {
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value === 'number') expect(Number.isFinite(value), `${key} = ${value}`).toBe(true);
    else if (key !== 'notes' && key !== 'annualisation') expect(value, key).toBeNull();
  }
}

describe('computeMetrics (crypto annualisation)', () => {
  // Worked by hand: returns +10%, −10%, +10%, +20% per daily bar.
  // mean 0.075; deviations 0.025, −0.175, 0.025, 0.125 → sum of squares 0.0475 → sample var 0.0475 / 3.
  const std = Math.sqrt(0.0475 / 3);
  const m = computeMetrics(input());

  it('computes return, CAGR over calendar time and the equity extremes', () => {
    expect(m.finalEquity).toBe(1306.8);
    expect(m.peakEquity).toBe(1306.8);
    expect(m.netProfit).toBeCloseTo(306.8, 9);
    expect(m.totalReturnPct).toBeCloseTo(30.68, 9);
    // 5 daily bars = 5 days from the first open to the last close
    expect(m.durationMs).toBe(5 * DAY);
    expect(m.cagrPct).toBeCloseTo((1.3068 ** (365 / 5) - 1) * 100, 0);
    expect(m.annualReturnPct).toBe(m.cagrPct);
    expect(m.periodsPerYear).toBe(365);
  });

  it('annualises volatility, Sharpe and Sortino from per-bar returns with 365 bars a year', () => {
    expect(m.annualVolatilityPct).toBeCloseTo(std * Math.sqrt(365) * 100, 9);
    expect(m.sharpe).toBeCloseTo((0.075 / std) * Math.sqrt(365), 9);
    // downside deviation: only −10% is below 0 → sqrt(0.01 / 4) = 0.05
    expect(m.sortino).toBeCloseTo((0.075 / 0.05) * Math.sqrt(365), 9);
  });

  it('subtracts the risk-free rate per bar from the mean return', () => {
    const withRf = computeMetrics(input({ riskFreeRate: 0.0365 }));
    // 3.65% a year over 365 bars = 0.0001 per bar
    expect(withRf.sharpe).toBeCloseTo(((0.075 - 0.0001) / std) * Math.sqrt(365), 9);
  });

  it('measures the max drawdown in percent, in quote and in time to recovery', () => {
    // peak 1100 → trough 990: 10%, 110 quote; 1089 is still under 1100, recovered at 1306.8 three days later
    expect(m.maxDrawdownPct).toBeCloseTo(10, 9);
    expect(m.maxDrawdownQuote).toBeCloseTo(110, 9);
    expect(m.maxDrawdownDurationMs).toBe(3 * DAY);
    expect(m.calmar).toBeCloseTo((m.cagrPct ?? Number.NaN) / 10, 6);
    expect(m.recoveryFactor).toBeCloseTo(306.8 / 110, 9);
  });

  it('computes the trade statistics', () => {
    // pnl +100, −50, +200, −100; returns +10, −5, +20, −10 %
    expect(m.tradeCount).toBe(4);
    expect(m.winRatePct).toBe(50);
    expect(m.profitFactor).toBeCloseTo(300 / 150, 12);
    expect(m.expectancy).toBeCloseTo(37.5, 12);
    expect(m.expectancyPct).toBeCloseTo(3.75, 12);
    expect(m.avgWin).toBeCloseTo(150, 12);
    expect(m.avgLoss).toBeCloseTo(-75, 12);
    expect(m.avgWinPct).toBeCloseTo(15, 12);
    expect(m.avgLossPct).toBeCloseTo(-7.5, 12);
    expect(m.bestTradePct).toBe(20);
    expect(m.worstTradePct).toBe(-10);
    expect(m.avgTradeDurationMs).toBe(2 * DAY);
    // returns mean 3.75, squares of deviations 39.0625 + 76.5625 + 264.0625 + 189.0625 = 568.75 → var / 3
    expect(m.sqn).toBeCloseTo((Math.sqrt(4) * 3.75) / Math.sqrt(568.75 / 3), 12);
    // W = 0.5, R = 150 / 75 = 2 → 0.5 − 0.5 / 2 = 25%
    expect(m.kellyPct).toBeCloseTo(25, 12);
  });

  it('passes costs through and computes exposure time', () => {
    expect(m.feesPaid).toBe(4);
    expect(m.fundingPaid).toBe(-1.5);
    expect(m.exposureTimePct).toBe(60);
    expectNoNonFinite(m);
  });
});

describe('computeMetrics edge cases', () => {
  it('reports null trade statistics, with a note, when there are no trades', () => {
    const m = computeMetrics(input({ trades: [] }));
    expect(m.tradeCount).toBe(0);
    expect(m.winRatePct).toBeNull();
    expect(m.sqn).toBeNull();
    expect(m.notes.join(' ')).toMatch(/no closed trades/);
    expectNoNonFinite(m);
  });

  it('reports a null profit factor (not Infinity) when every trade won', () => {
    const m = computeMetrics(input({ trades: [trade(10, 1, 1), trade(30, 3, 1)] }));
    expect(m.profitFactor).toBeNull();
    expect(m.avgLoss).toBeNull();
    expect(m.winRatePct).toBe(100);
    // no losses: R is infinite and Kelly = W = 100%
    expect(m.kellyPct).toBe(100);
    expect(m.notes.join(' ')).toMatch(/no losing trade/);
    expectNoNonFinite(m);
  });

  it('reports null Kelly when no trade won', () => {
    const m = computeMetrics(input({ trades: [trade(-10, -1, 1), trade(-30, -3, 1)] }));
    expect(m.kellyPct).toBeNull();
    expect(m.avgWin).toBeNull();
    expect(m.profitFactor).toBe(0);
    expectNoNonFinite(m);
  });

  it('reports null Sharpe, Sortino and Calmar (not 0, not NaN) for flat equity', () => {
    const m = computeMetrics(input({ equity: curve([1000, 1000, 1000, 1000]), trades: [] }));
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.calmar).toBeNull();
    expect(m.annualVolatilityPct).toBe(0);
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.maxDrawdownDurationMs).toBe(0);
    expect(m.cagrPct).toBe(0);
    expect(m.notes.join(' ')).toMatch(/sharpe is undefined/);
    expectNoNonFinite(m);
  });

  it('measures drawdown duration to the end when equity never recovers', () => {
    const m = computeMetrics(input({ equity: curve([1000, 1200, 1100, 1150, 1000]) }));
    expect(m.maxDrawdownDurationMs).toBe(3 * DAY);
    expect(m.maxDrawdownPct).toBeCloseTo((200 / 1200) * 100, 12);
  });

  it('handles an empty equity curve without NaN', () => {
    const m = computeMetrics(input({ equity: [], trades: [] }));
    expect(m.finalEquity).toBe(1000);
    expect(m.totalReturnPct).toBe(0);
    expect(m.cagrPct).toBeNull();
    expect(m.exposureTimePct).toBeNull();
    expectNoNonFinite(m);
    expectNoNonFinite(computeMetrics(input({ equity: [], trades: [], annualisation: 'backtesting.py' })));
  });

  it('reports −100% CAGR and stops returns when the account is wiped out', () => {
    const m = computeMetrics(input({ equity: curve([1000, 500, 0, 0]) }));
    expect(m.cagrPct).toBe(-100);
    expect(m.maxDrawdownPct).toBe(100);
    expectNoNonFinite(m);
  });

  it('reports null CAGR, not Infinity, when a tiny run cannot be annualised', () => {
    const m = computeMetrics(input({ equity: curve([1000, 2000], MONDAY, 1000), barMs: 1000, trades: [] }));
    expect(m.cagrPct).toBeNull();
    expectNoNonFinite(m);
  });

  it('rejects corrupt input with a message naming the point', () => {
    expect(() => computeMetrics(input({ equity: curve([1000, Number.NaN]) }))).toThrow(/equity point 1/);
    expect(() => computeMetrics(input({ equity: [...curve([1, 2]), { time: MONDAY, equity: 3 }] }))).toThrow(
      /equity point 2/,
    );
    expect(() => computeMetrics(input({ barMs: 0 }))).toThrow(/barMs/);
    expect(() => computeMetrics(input({ initialCash: 0 }))).toThrow(/initialCash/);
  });
});

describe('computeMetrics (backtesting.py annualisation)', () => {
  it('uses 252 trading days for weekday-only daily data and the geometric-mean formulas', () => {
    // Mon..Fri, returns +10%, −10%, +10%, +20%
    const m = computeMetrics(
      input({
        equity: curve([100, 110, 99, 108.9, 130.68]),
        initialCash: 100,
        annualisation: 'backtesting.py',
      }),
    );
    const logSum = Math.log(1.1) + Math.log(0.9) + Math.log(1.1) + Math.log(1.2);
    const g = Math.exp(logSum / 5) - 1; // the leading NaN return counts as one zero → 5 terms
    const annual = (1 + g) ** 252 - 1;
    const variance = 0.0475 / 3;
    const vol = Math.sqrt((variance + (1 + g) ** 2) ** 252 - (1 + g) ** 504);
    expect(m.periodsPerYear).toBe(252);
    expect(m.annualReturnPct).toBeCloseTo(annual * 100, 6);
    expect(m.annualVolatilityPct).toBeCloseTo(vol * 100, 6);
    expect(m.sharpe).toBeCloseTo(annual / vol, 9);
    expect(m.sortino).toBeCloseTo(annual / (0.05 * Math.sqrt(252)), 9);
    expect(m.calmar).toBeCloseTo((annual * 100) / 10, 6);
    expectNoNonFinite(m);
  });

  it('uses 365 days when weekends hold bars, and resamples intraday equity to the last value per day', () => {
    // 6-hourly bars over 4 days; the last point of each day is 100, 110, 99, 108.9
    const values = [100, 101, 102, 100, 105, 106, 107, 110, 100, 98, 97, 99, 100, 105, 107, 108.9];
    const m = computeMetrics(
      input({
        equity: curve(values, Date.UTC(2024, 0, 6), DAY / 4), // a Saturday
        initialCash: 100,
        barMs: DAY / 4,
        annualisation: 'backtesting.py',
      }),
    );
    const g = Math.exp((Math.log(1.1) + Math.log(0.9) + Math.log(1.1)) / 4) - 1;
    expect(m.periodsPerYear).toBe(365);
    expect(m.annualReturnPct).toBeCloseTo(((1 + g) ** 365 - 1) * 100, 6);
  });

  it('uses 12 periods a year for monthly data', () => {
    const months = [100, 90, 120, 130].map((equity, i) => ({ time: Date.UTC(2024, i * 2, 1), equity }));
    // every other month is 59–62 days apart: not monthly; use consecutive months instead
    const monthly = [100, 90, 120, 130, 125].map((equity, i) => ({ time: Date.UTC(2023, 4 + i, 1), equity }));
    const m = computeMetrics(
      input({ equity: monthly, initialCash: 100, barMs: 31 * DAY, annualisation: 'backtesting.py' }),
    );
    expect(m.periodsPerYear).toBe(12);
    expect(
      computeMetrics(input({ equity: months, annualisation: 'backtesting.py' })).periodsPerYear,
    ).not.toBe(12);
  });

  it('subtracts the annual risk-free rate from the annual return', () => {
    const base = input({
      equity: curve([100, 110, 99, 108.9, 130.68]),
      initialCash: 100,
      annualisation: 'backtesting.py',
    });
    const without = computeMetrics(base);
    const withRf = computeMetrics({ ...base, riskFreeRate: 0.05 });
    const annual = (without.annualReturnPct ?? Number.NaN) / 100;
    const vol = (without.annualVolatilityPct ?? Number.NaN) / 100;
    expect(withRf.sharpe).toBeCloseTo((annual - 0.05) / vol, 9);
  });
});

describe('drawdownSeries', () => {
  it('gives the drop under the running peak at every point, in percent', () => {
    const series = drawdownSeries(curve([100, 120, 90, 130, 117]));
    const expected = [0, 0, 25, 0, 10];
    series.forEach((point, i) => {
      expect(point.drawdownPct).toBeCloseTo(expected[i] ?? Number.NaN, 12);
    });
    expect(series[2]?.time).toBe(MONDAY + 2 * DAY);
  });
});

const googPath = fileURLToPath(new URL('../../../../../shared/data/GOOG.csv', import.meta.url));
const haveGoog = existsSync(googPath);
if (!haveGoog) console.warn(`skipping GOOG metrics check: ${googPath} is absent`);

describe.skipIf(!haveGoog)('computeMetrics on GOOG daily closes (backtesting.py reference data)', () => {
  it('detects 252 trading days and reproduces the published buy-and-hold return of 703.458%', () => {
    const rows = readFileSync(googPath, 'utf8').trim().split('\n').slice(1);
    const equity = rows.map((row) => {
      const [date, , , , close] = row.split(',');
      return { time: Date.parse(`${date}T00:00:00Z`), equity: Number(close) };
    });
    const first = equity[0]?.equity ?? Number.NaN;
    const m = computeMetrics({
      equity,
      trades: [],
      initialCash: first,
      barMs: DAY,
      feesPaid: 0,
      fundingPaid: 0,
      exposureBars: equity.length,
      annualisation: 'backtesting.py',
    });
    expect(m.periodsPerYear).toBe(252);
    expect(m.totalReturnPct).toBeCloseTo(703.458, 2);
    expect(m.exposureTimePct).toBe(100);
    expectNoNonFinite(m);
  });
});
