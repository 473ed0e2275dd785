// Metric formatting: every value carries its unit, undefined metrics show a dash, differences of
// percentages are percentage points, and "better" follows each metric's direction.
import { describe, expect, it } from 'vitest';
import {
  flattenSettings,
  formatDifference,
  formatDuration,
  formatMetric,
  formatPrice,
  formatTime,
  judgeDifference,
  METRICS,
  metricInfo,
  settingText,
} from './format';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('formatMetric', () => {
  it('writes percentages with %, money with its currency, ratios plain and counts whole', () => {
    expect(formatMetric('totalReturnPct', 12.3456)).toBe('12.35%');
    expect(formatMetric('netProfit', 1234.5, 'USDT')).toBe('1,234.50 USDT');
    expect(formatMetric('finalEquity', -20, 'EUR')).toBe('-20.00 EUR');
    expect(formatMetric('sharpe', 1.234)).toBe('1.23');
    expect(formatMetric('tradeCount', 1200)).toBe('1,200');
    expect(formatMetric('avgTradeDurationMs', DAY + 4 * HOUR)).toBe('1d 4h');
  });

  it('shows a dash, not zero, for a metric that is undefined', () => {
    expect(formatMetric('profitFactor', null)).toBe('—');
    expect(formatMetric('sharpe', undefined)).toBe('—');
    expect(formatMetric('sharpe', Number.NaN)).toBe('—');
  });

  it('guesses the unit of a metric it does not know from its name', () => {
    expect(metricInfo('newThingPct').unit).toBe('percent');
    expect(metricInfo('waitMs').unit).toBe('duration');
    expect(formatMetric('newThingPct', 5)).toBe('5.00%');
  });

  it('describes every metric of the engine once', () => {
    const keys = METRICS.map((m) => m.key);

    expect(new Set(keys).size).toBe(keys.length);
    expect(METRICS.filter((m) => m.headline).length).toBeGreaterThanOrEqual(6);
  });
});

describe('formatDuration', () => {
  it('shows the largest unit and the next one when it is not zero', () => {
    expect(formatDuration(DAY + HOUR + 60_000 + 1000)).toBe('1d 1h');
    expect(formatDuration(3 * HOUR + 20 * 60_000)).toBe('3h 20m');
    expect(formatDuration(DAY + 60_000)).toBe('1d');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(-2 * HOUR)).toBe('−2h');
  });
});

describe('formatDifference and judgeDifference', () => {
  it('writes differences of percentages as percentage points, with a sign', () => {
    expect(formatDifference('totalReturnPct', 2)).toBe('+2.00 pp');
    expect(formatDifference('netProfit', -1500, 'USDT')).toBe('−1,500.00 USDT');
    expect(formatDifference('sharpe', 0)).toBe('±0.00');
    expect(formatDifference('sharpe', null)).toBe('—');
  });

  it('calls a higher return better and a deeper drawdown worse', () => {
    expect(judgeDifference('totalReturnPct', 3)).toBe(1);
    expect(judgeDifference('totalReturnPct', -3)).toBe(-1);
    expect(judgeDifference('maxDrawdownPct', 3)).toBe(-1);
    expect(judgeDifference('maxDrawdownPct', -3)).toBe(1);
    expect(judgeDifference('tradeCount', 10)).toBe(0);
    expect(judgeDifference('sharpe', null)).toBe(0);
  });
});

describe('formatTime and formatPrice', () => {
  it('writes times in UTC to the minute', () => {
    expect(formatTime(Date.UTC(2024, 0, 5, 13, 7, 59))).toBe('2024-01-05 13:07');
  });

  it('gives prices the decimals their size needs', () => {
    expect(formatPrice(43210.123)).toBe('43210.12');
    expect(formatPrice(1.0912345)).toBe('1.0912');
    expect(formatPrice(0.000123456789)).toBe('0.00012346');
  });
});

describe('flattenSettings', () => {
  it('lists the leaves as dotted paths in a stable order, fees and rates as percent and times as UTC', () => {
    const rows = flattenSettings({
      paramValues: {},
      backtest: {
        to: Date.UTC(2024, 1, 1),
        execution: { takerFee: 0.0005, slippage: { kind: 'proportional', rate: 0.0002 }, fill: 'next_open' },
        account: { initialCash: 10000 },
      },
    });

    expect(rows).toEqual([
      { path: 'backtest.account.initialCash', text: '10000' },
      { path: 'backtest.execution.fill', text: 'next_open' },
      { path: 'backtest.execution.slippage.kind', text: 'proportional' },
      { path: 'backtest.execution.slippage.rate', text: '0.02%' },
      { path: 'backtest.execution.takerFee', text: '0.05%' },
      { path: 'backtest.to', text: '2024-02-01 00:00 UTC' },
      { path: 'paramValues', text: '(none)' },
    ]);
  });

  it('writes other values as JSON', () => {
    expect(settingText('backtest.closeAtEnd', false)).toBe('false');
    expect(settingText('x', null)).toBe('null');
  });
});
