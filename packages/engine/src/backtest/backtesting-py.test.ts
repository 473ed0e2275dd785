// Agreement with an established backtester's published results on public data: backtesting.py's own test
// suite (0.3.x, test_compute_stats) runs SmaCross(fast=10, slow=30) on GOOG daily candles with 10,000 cash,
// no commission, market orders at the next open, all available equity in whole units, and a flip on every
// crossover. That version leaves the last trade open: '# Trades' counts closed trades and 'Equity Final'
// marks the open one at the last close. Its profit factor, SQN and average trade are computed from trade
// returns in percent; the test recomputes those from our trade list, which checks every trade's return.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandleSeries } from '@candleflow/data';
import { catalog } from '@candleflow/nodes';
import { compile, formatDiagnostic } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest';
import { backtestSettings } from './settings';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const GOOG = join(root, '..', 'shared', 'data', 'GOOG.csv');
const haveData = existsSync(GOOG);
if (!haveData) console.warn(`skipping backtesting.py comparison: ${GOOG} is absent`);

function readGoog(): CandleSeries {
  const lines = readFileSync(GOOG, 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const series = {
    symbol: 'GOOG/USD',
    timeframe: '1d',
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  lines.forEach((line, i) => {
    const [date, o, h, l, c, v] = line.split(',');
    series.time[i] = Date.parse(`${date}T00:00:00Z`);
    series.open[i] = Number(o);
    series.high[i] = Number(h);
    series.low[i] = Number(l);
    series.close[i] = Number(c);
    series.volume[i] = Number(v);
  });
  return series;
}

function smaCrossGraph() {
  const graph = JSON.parse(readFileSync(join(root, 'examples', 'sma-cross.json'), 'utf8'));
  for (const node of graph.nodes) {
    if (node.type === 'candles') node.params = { symbol: 'GOOG/USD', timeframe: '1d' };
  }
  return graph;
}

describe.skipIf(!haveData)('agreement with backtesting.py on GOOG', () => {
  it('reproduces the published SmaCross(10, 30) statistics', () => {
    const compiled = compile(smaCrossGraph(), catalog, { paramValues: { fast: 10, slow: 30 } });
    if (!compiled.ok) throw new Error(compiled.diagnostics.map(formatDiagnostic).join('\n'));
    const result = runBacktest({
      plan: compiled.plan,
      data: new Map([['GOOG/USD', readGoog()]]),
      settings: backtestSettings({
        execution: {
          makerFee: 0,
          takerFee: 0,
          slippage: { kind: 'none' },
          maxVolumeShare: 1,
          fill: 'next_open',
        },
        account: { market: 'perp', initialCash: 10_000, leverage: 1, funding: { kind: 'none' } },
        sizing: 'all_in_units',
        exclusive: true,
        closeAtEnd: false,
        annualisation: 'backtesting.py',
        instruments: {
          'GOOG/USD': {
            symbol: 'GOOG/USD',
            base: 'GOOG',
            quote: 'USD',
            tickSize: 0.01,
            stepSize: 1,
            minQty: 0,
            minNotional: 0,
          },
        },
      }),
    });
    const m = result.metrics;
    expect(m.tradeCount).toBe(65);
    expect(m.finalEquity).toBeCloseTo(51959.95, 2);
    expect(m.peakEquity).toBeCloseTo(75787.44, 2);
    expect(m.totalReturnPct).toBeCloseTo(419.5995, 3);
    expect(m.maxDrawdownPct).toBeCloseTo(47.98012705007589, 6);
    expect(m.winRatePct).toBeCloseTo(46.15384615384615, 9);
    const returns = result.trades.map((t) => t.returnPct);
    const gains = returns.filter((r) => r > 0).reduce((a, b) => a + b, 0);
    const losses = returns.filter((r) => r < 0).reduce((a, b) => a + b, 0);
    expect(gains / -losses).toBeCloseTo(2.0880175388920286, 9);
    const pnls = result.trades.map((t) => t.pnl);
    const mean = pnls.reduce((a, b) => a + b, 0) / pnls.length;
    const std = Math.sqrt(pnls.reduce((a, p) => a + (p - mean) ** 2, 0) / (pnls.length - 1));
    expect((Math.sqrt(pnls.length) * mean) / std).toBeCloseTo(0.916892986080858, 9);
    const geometric = returns.reduce((acc, r) => acc * (1 + r / 100), 1) ** (1 / returns.length) - 1;
    expect(geometric * 100).toBeCloseTo(2.3537113951143773, 9);
    expect(m.maxDrawdownDurationMs).toBe(584 * 86_400_000);
    expect(result.openTrades).toHaveLength(1);
    expect(m.bestTradePct).toBeCloseTo(53.59595229490424, 6);
    expect(m.worstTradePct).toBeCloseTo(-18.39887353835481, 6);
    expect(result.buyAndHoldReturnPct).toBeCloseTo(703.4582419772772, 6);
    expect(m.annualReturnPct).toBeCloseTo(21.32802699608929, 4);
    expect(m.annualVolatilityPct).toBeCloseTo(36.53825234483751, 4);
    expect(m.sharpe).toBeCloseTo(0.5837177650097084, 4);
    expect(m.sortino).toBeCloseTo(1.0923863161583591, 4);
    expect(m.calmar).toBeCloseTo(0.4445179349739874, 4);
  });
});
