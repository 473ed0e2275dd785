// End-to-end behaviour of position sizing, the strategy's risk settings (caps and circuit breakers) and
// funding on perpetual futures.
import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest';
import {
  type BarSpec,
  candles,
  compileText,
  EXIT_LONG,
  EXIT_SHORT,
  flat,
  LONG,
  mark,
  plainSettings,
  type Rule,
  run,
  SHORT,
  strategyText,
} from './test-support/strategy';

const entry = (size?: string): Rule => ({ action: 'enter_long', code: LONG, size });

/** Bars spanning 4 around `price` (ATR(2) = 4), with a long signal on bar 2; the entry fills at bar 3's open. */
function rangeBars(price: number, n = 6): BarSpec[] {
  return mark(
    Array.from({ length: n }, () => [price, price + 2, price - 2, price] as const),
    2,
    LONG,
  );
}

describe('sizing', () => {
  const bars = mark([...flat(2), ...flat(3, 101)], 1, LONG); // the entry fills at 101

  it('percent_equity buys that share of equity at the fill price', () => {
    const result = run([entry('percent_equity(percent: 50)')], bars);

    expect(result.fills[0]?.quantity).toBe(Math.floor(((10_000 * 0.5) / 101) * 1000) / 1000);
  });

  it('fixed_size buys the fixed quantity', () => {
    const result = run([entry('fixed_size(quantity: 2.5)')], bars);

    expect(result.fills[0]?.quantity).toBe(2.5);
  });

  it('risk_size buys equity × risk% / stop distance', () => {
    // ATR 4 × 2 = a stop distance of 8: risking 1% of 10,000 is 100 / 8 = 12.5 units.
    const result = run([entry('risk_size(atr: atr.value, riskPercent: 1, atrMult: 2)')], rangeBars(100));

    expect(result.fills[0]).toMatchObject({ quantity: 12.5, price: 100 });
  });

  it('risk_size is capped by the buying power', () => {
    // 10% risk over a distance of 2 would be 500 units; 10,000 at 1× buys 100.
    const result = run([entry('risk_size(atr: atr.value, riskPercent: 10, atrMult: 0.5)')], rangeBars(100));

    expect(result.fills[0]?.quantity).toBe(100);
  });

  it('waits for a risk size to warm up instead of falling back to the default size', () => {
    // ATR(5) has no value before bar 4: the signal on bar 2 places nothing, the one on bar 6 risks 1%.
    const bars = mark(rangeBars(100, 9), 6, LONG);
    const plan = compileText(
      strategyText([entry('risk_size(atr: atr.value, riskPercent: 1, atrMult: 2)')], { atrPeriod: 5 }),
    );

    const result = runBacktest({
      plan,
      data: new Map([['BTC/USDT', candles('BTC/USDT', bars)]]),
      settings: plainSettings(),
    });

    expect(result.fills).toEqual([expect.objectContaining({ quantity: 12.5, barIndex: 7 })]);
  });

  it("all_in_units buys every whole unit the account can pay for, whatever the order's sizing", () => {
    const result = run([entry('percent_equity(percent: 10)')], bars, {
      settings: plainSettings({ sizing: 'all_in_units' }),
    });

    expect(result.fills[0]?.quantity).toBe(Math.floor(10_000 / 101));
  });

  it("uses the run's default percent of equity when the order has no sizing node", () => {
    const full = run([entry()], bars);
    const quarter = run([entry()], bars, { settings: plainSettings({ defaultSizePercent: 25 }) });

    expect(full.fills[0]?.quantity).toBe(Math.floor((10_000 / 101) * 1000) / 1000);
    expect(quarter.fills[0]?.quantity).toBe(Math.floor((2_500 / 101) * 1000) / 1000);
  });
});

describe('risk settings', () => {
  it('maxPositionPct reduces the order and records the decision', () => {
    const bars = mark(flat(5), 1, LONG);

    const result = run([entry()], bars, { risk: { maxPositionPct: 50 } });

    expect(result.fills[0]?.quantity).toBe(50);
    expect(result.riskDecisions).toEqual([
      expect.objectContaining({ decision: 'reduce', requested: 100, granted: 50, barIndex: 2 }),
    ]);
    expect(result.riskDecisions[0]?.reason).toMatch(/max position 50%/);
  });

  it('riskPerTradePct sizes an entry with a stop loss and no sizing of its own', () => {
    const bars = mark(flat(5), 1, LONG);
    const rule: Rule = { action: 'enter_long', code: LONG, exits: ['stop_loss(percent: 5)'] };

    const result = run([rule], bars, { risk: { riskPerTradePct: 1 } });

    // 1% of 10,000 over a stop 5 below the entry at 100.
    expect(result.fills[0]?.quantity).toBe(20);
  });

  it('riskPerTradePct leaves an order with its own sizing alone', () => {
    const bars = mark(flat(5), 1, LONG);
    const rule: Rule = { ...entry('fixed_size(quantity: 3)'), exits: ['stop_loss(percent: 5)'] };

    const result = run([rule], bars, { risk: { riskPerTradePct: 1 } });

    expect(result.fills[0]?.quantity).toBe(3);
  });

  it('dailyLossLimitPct halts the strategy, flattens the position and resumes the next UTC day', () => {
    // Hourly bars: 100 units bought at 100 on bar 2; bar 3 closes at 94, a 6% loss on the day.
    let bars: BarSpec[] = [...flat(3), [100, 100, 93, 94], ...flat(30, 94)];
    bars = mark(mark(mark(bars, 1, LONG), 5, LONG), 26, LONG);

    const result = run([entry()], bars, { risk: { dailyLossLimitPct: 5 } });

    expect(result.trades[0]).toMatchObject({ entryBar: 2, exitBar: 4, exitPrice: 94, exitReason: 'exit' });
    expect(result.riskStateChanges.map((c) => c.to)).toEqual(['HALTED', 'ACTIVE']);
    expect(result.riskStateChanges[0]?.reason).toMatch(/daily loss breaker/);
    const denied = result.riskDecisions.filter((d) => d.decision === 'deny');
    expect(denied).toEqual([expect.objectContaining({ barIndex: 6, action: 'enter_long' })]);
    expect(denied[0]?.reason).toMatch(/halted/);
    // Bar 24 starts a new UTC day: the signal on bar 26 enters at bar 27.
    expect(result.openTrades).toEqual([expect.objectContaining({ entryPrice: 94 })]);
    expect(result.fills.at(-1)).toMatchObject({ barIndex: 27, purpose: 'entry' });
  });

  it('maxDrawdownPct halts for the rest of the run and flattens', () => {
    // Equity peaks at 12,000 (close 120) and falls to 10,500 (close 105): a 12.5% drawdown.
    let bars: BarSpec[] = [...flat(3), [100, 120, 100, 120], [120, 120, 104, 105], ...flat(40, 105)];
    bars = mark(mark(mark(bars, 1, LONG), 7, LONG), 35, LONG);

    const result = run([entry()], bars, { risk: { maxDrawdownPct: 10 } });

    expect(result.trades).toEqual([
      expect.objectContaining({ exitBar: 5, exitPrice: 105, exitReason: 'exit' }),
    ]);
    expect(result.riskStateChanges.map((c) => c.to)).toEqual(['HALTED']);
    expect(result.riskStateChanges[0]?.reason).toMatch(/max drawdown breaker/);
    expect(result.riskDecisions.map((d) => [d.decision, d.barIndex])).toEqual([
      ['deny', 8],
      ['deny', 36],
    ]);
    expect(result.openTrades).toEqual([]);
  });
});

describe('funding', () => {
  const settings = plainSettings({
    account: { funding: { kind: 'fixed', rate: 0.0001, intervalHours: 8 } },
  });

  it('charges an open perp position at every 8-hour funding time it is held into', () => {
    // Hourly bars from midnight. Trade 1: 10 units at 100 from 02:00 to 08:00 (held into 08:00: pays).
    // Trade 2: 10 units at 200 from 16:00 (opened at a funding time: does not pay it) to 01:00 the next
    // day (pays 00:00).
    let bars: BarSpec[] = [...flat(9), ...flat(22, 200)];
    bars = mark(mark(mark(mark(bars, 1, LONG), 7, EXIT_LONG), 15, LONG), 24, EXIT_LONG);
    const rules: Rule[] = [entry('fixed_size(quantity: 10)'), { action: 'exit_long', code: EXIT_LONG }];

    const result = run(rules, bars, { settings });

    expect(result.trades.map((t) => [t.entryBar, t.exitBar])).toEqual([
      [2, 8],
      [16, 25],
    ]);
    expect(result.trades[0]?.funding).toBeCloseTo(10 * 100 * 0.0001, 12);
    expect(result.trades[1]?.funding).toBeCloseTo(10 * 200 * 0.0001, 12);
    expect(result.metrics.fundingPaid).toBeCloseTo(0.1 + 0.2, 12);
    expect(result.metrics.finalEquity).toBeCloseTo(10_000 + 10 * (200 - 200) - 0.3, 9);
  });

  it('pays a short the funding when the rate is positive', () => {
    const bars = mark(mark(flat(12), 1, SHORT), 9, EXIT_SHORT);
    const rules: Rule[] = [
      { action: 'enter_short', code: SHORT, size: 'fixed_size(quantity: 10)' },
      { action: 'exit_short', code: EXIT_SHORT },
    ];

    const result = run(rules, bars, { settings });

    expect(result.trades[0]?.funding).toBeCloseTo(-0.1, 12);
    expect(result.metrics.fundingPaid).toBeCloseTo(-0.1, 12);
    expect(result.metrics.finalEquity).toBeCloseTo(10_000.1, 9);
  });

  it('charges nothing on a spot account', () => {
    const bars = mark(flat(12), 1, LONG);

    const result = run([entry('fixed_size(quantity: 10)')], bars, {
      settings: plainSettings({
        account: { market: 'spot', funding: { kind: 'fixed', rate: 0.0001, intervalHours: 8 } },
      }),
    });

    expect(result.metrics.fundingPaid).toBe(0);
  });
});
