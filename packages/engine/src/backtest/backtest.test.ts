// End-to-end behaviour of the backtest loop with the real catalog and compiler: when market orders fill,
// what they cost, and how entry and exit signals open, close, flip or are refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKTEST } from './settings';
import {
  type BarSpec,
  EXIT_LONG,
  EXIT_SHORT,
  flat,
  INSTRUMENTS,
  LONG,
  mark,
  plainSettings,
  type Rule,
  run,
  runText,
  SHORT,
  T0,
  HOUR,
} from './test-support/strategy';

const longFixed = (quantity: number): Rule => ({
  action: 'enter_long',
  code: LONG,
  size: `fixed_size(quantity: ${quantity})`,
});
const shortFixed = (quantity: number): Rule => ({
  action: 'enter_short',
  code: SHORT,
  size: `fixed_size(quantity: ${quantity})`,
});
const exitLong: Rule = { action: 'exit_long', code: EXIT_LONG };
const exitShort: Rule = { action: 'exit_short', code: EXIT_SHORT };

/** Bars with `codes[i]` in bar i's volume, otherwise `base`. */
function withSignals(base: readonly BarSpec[], codes: Readonly<Record<number, number>>): BarSpec[] {
  let bars = [...base];
  for (const [index, code] of Object.entries(codes)) bars = mark(bars, Number(index), code);
  return bars;
}

describe('market order fills', () => {
  // Signal on bar 1 (close 105); bar 2 opens at 101.
  const bars = withSignals([[100, 100, 100, 100], [100, 106, 99, 105], [101, 103, 99, 102], ...flat(2)], {
    1: LONG,
  });

  it('fills a market entry at the next bar open by default', () => {
    const result = run([longFixed(2)], bars);

    expect(result.fills).toHaveLength(1);
    expect(result.fills[0]).toMatchObject({
      side: 'buy',
      quantity: 2,
      price: 101,
      barIndex: 2,
      time: T0 + 2 * HOUR,
    });
    // Bar 1 ends flat; bar 2 is marked at its close: 2 × (102 − 101).
    expect(result.equity[1]?.equity).toBe(10_000);
    expect(result.equity[2]?.equity).toBeCloseTo(10_002, 9);
  });

  it("fills at the signal bar's close with fill: 'close'", () => {
    const settings = plainSettings({ execution: { fill: 'close' } });

    const result = run([longFixed(2)], bars, { settings });

    expect(result.fills[0]).toMatchObject({ price: 105, barIndex: 1, time: T0 + HOUR });
    expect(result.equity[2]?.equity).toBeCloseTo(10_000 + 2 * (102 - 105), 9);
    expect(result.warnings.some((w) => w.includes('fill at the close'))).toBe(true);
  });

  it("fills at this bar's open when the order node's timing is this_bar_open", () => {
    // The signal reads only the open (open > 100.5), so acting at that open is not look-ahead.
    const text = [
      'strategy "open timing"',
      'c0 = candles(symbol: "BTC/USDT", timeframe: "1h")',
      'level = constant(value: 100.5)',
      'up = compare(a: c0.open, b: level.value, op: ">")',
      'go = enter_long(when: up.value)',
      'size = fixed_size(quantity: 1)',
      'entry = market_order(signal: go.signal, size: size.sizing, timing: "this_bar_open")',
    ].join('\n');

    const result = runText(text, bars);

    expect(result.fills[0]).toMatchObject({ price: 101, barIndex: 2 });
  });
});

describe('costs', () => {
  // Entry signal on bar 1 → buy at bar 2's open 101; exit signal on bar 3 → sell at bar 4's open 100.
  const bars = withSignals([...flat(2), [101, 102, 100, 101], ...flat(3)], { 1: LONG, 3: EXIT_LONG });

  it('charges the taker fee and proportional slippage with the exact amounts', () => {
    const settings = plainSettings({
      execution: { takerFee: 0.001, makerFee: 0.0005, slippage: { kind: 'proportional', rate: 0.01 } },
    });

    const result = run([longFixed(2), exitLong], bars, { settings });

    const buy = 101 * 1.01; // 102.01
    const sell = 100 * 0.99; // 99
    const fees = 2 * buy * 0.001 + 2 * sell * 0.001;
    expect(result.fills.map((f) => f.price)).toEqual([102.01, 99]);
    expect(result.fills[0]?.fee).toBeCloseTo(2 * buy * 0.001, 12);
    expect(result.fills[1]?.fee).toBeCloseTo(2 * sell * 0.001, 12);
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]?.fees).toBeCloseTo(fees, 12);
    expect(result.trades[0]?.pnl).toBeCloseTo(2 * (sell - buy) - fees, 9);
    expect(result.metrics.feesPaid).toBeCloseTo(fees, 12);
    expect(result.metrics.finalEquity).toBeCloseTo(10_000 + 2 * (sell - buy) - fees, 9);
  });

  it('moves both fills against the trader by a fixed slippage amount', () => {
    const settings = plainSettings({ execution: { slippage: { kind: 'fixed', amount: 0.5 } } });

    const result = run([longFixed(2), exitLong], bars, { settings });

    expect(result.fills.map((f) => f.price)).toEqual([101.5, 99.5]);
    expect(result.trades[0]?.pnl).toBeCloseTo(2 * (99.5 - 101.5), 9);
  });

  it('sizes an all-in entry at the slipped price so it fills in full, fee included', () => {
    const settings = plainSettings({
      execution: { takerFee: 0.001, slippage: { kind: 'proportional', rate: 0.01 } },
    });

    const result = run([{ action: 'enter_long', code: LONG }], bars, { settings });

    // Bought at 101 × 1.01; the 10,000 must pay for the units and the 0.1% fee on them.
    const price = 101 * 1.01;
    const quantity = Math.floor((10_000 / (price * 1.001)) * 1000) / 1000;
    expect(result.fills).toEqual([expect.objectContaining({ price: 102.01, quantity })]);
    expect(result.ignoredSignals).toEqual([]);
  });

  it("reports the exchange's reason when it rejects a market entry", () => {
    // The exchange checks the minimum notional against the last close (99): 10 × 99 < 1,000.
    const settings = plainSettings({
      instruments: { 'BTC/USDT': { ...INSTRUMENTS['BTC/USDT']!, minNotional: 1_000 } },
    });
    const rejected = withSignals([...flat(1), [100, 100, 99, 99], [101, 101, 101, 101], ...flat(2, 101)], {
      1: LONG,
    });

    const result = run([longFixed(10)], rejected, { settings });

    expect(result.fills).toEqual([]);
    expect(result.orders).toEqual([expect.objectContaining({ status: 'rejected' })]);
    expect(result.ignoredSignals[0]?.reason).toMatch(/not placed: the exchange rejected it: notional 990/);
  });

  it('warns that a zero-cost run overstates returns, and stays silent with the realistic defaults', () => {
    const zeroCost = run([longFixed(2), exitLong], bars);
    const realistic = run([longFixed(0.05), exitLong], bars, {
      settings: { ...DEFAULT_BACKTEST, instruments: INSTRUMENTS },
    });

    expect(zeroCost.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('fees are zero'),
        expect.stringContaining('no slippage'),
        expect.stringContaining('no volume cap'),
      ]),
    );
    expect(realistic.warnings).toEqual([]);
  });
});

describe('signals and positions', () => {
  it('closes the position on an exit signal at the next open', () => {
    const bars = withSignals([...flat(2), ...flat(2, 110), ...flat(2, 120)], { 1: LONG, 3: EXIT_LONG });

    const result = run([longFixed(2), exitLong], bars);

    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({
      direction: 'long',
      entryPrice: 110,
      exitPrice: 120,
      entryBar: 2,
      exitBar: 4,
      exitReason: 'exit',
      pnl: 20,
    });
    expect(result.openTrades).toEqual([]);
  });

  it('cancels the protective stop of a position closed by an exit signal', () => {
    const bars = withSignals(flat(6), { 1: LONG, 3: EXIT_LONG });
    const protectedLong: Rule = { ...longFixed(2), exits: ['stop_loss(percent: 5)'] };

    const result = run([protectedLong, exitLong], bars);

    expect(result.trades).toEqual([expect.objectContaining({ exitReason: 'exit', exitBar: 4 })]);
    expect(result.orders.find((o) => o.purpose === 'stop_loss')).toMatchObject({
      status: 'canceled',
      reason: 'position closed',
    });
  });

  it('ignores an exit signal when no position is open', () => {
    const bars = withSignals(flat(4), { 1: EXIT_LONG });

    const result = run([longFixed(2), exitLong], bars);

    expect(result.fills).toEqual([]);
    expect(result.orders).toEqual([]);
  });

  it('ignores an opposite entry and records why, unless the run is exclusive', () => {
    const bars = withSignals(flat(6), { 1: LONG, 3: SHORT });

    const result = run([longFixed(2), shortFixed(3)], bars);

    expect(result.fills).toHaveLength(1);
    expect(result.ignoredSignals).toEqual([
      expect.objectContaining({
        barIndex: 3,
        action: 'enter_short',
        symbol: 'BTC/USDT',
        time: T0 + 3 * HOUR,
      }),
    ]);
    expect(result.ignoredSignals[0]?.reason).toMatch(/long position is open.*exclusive/);
    expect(result.warnings).toContain('1 signals were not acted on (see ignoredSignals)');
    expect(result.openTrades).toEqual([expect.objectContaining({ direction: 'long', quantity: 2 })]);
  });

  it('flips to the opposite side with exclusive: true', () => {
    const bars = withSignals([...flat(4), ...flat(3, 90)], { 1: LONG, 3: SHORT });

    const result = run([longFixed(2), shortFixed(3)], bars, { settings: plainSettings({ exclusive: true }) });

    expect(result.fills.map((f) => [f.side, f.quantity, f.price, f.barIndex, f.purpose])).toEqual([
      ['buy', 2, 100, 2, 'entry'],
      ['sell', 2, 90, 4, 'exit'],
      ['sell', 3, 90, 4, 'entry'],
    ]);
    expect(result.trades).toEqual([
      expect.objectContaining({ direction: 'long', pnl: -20, exitReason: 'exit' }),
    ]);
    expect(result.openTrades).toEqual([
      expect.objectContaining({ direction: 'short', quantity: 3, entryPrice: 90 }),
    ]);
    expect(result.ignoredSignals).toEqual([]);
  });

  it('does not pyramid: a repeated entry is ignored while the position is open', () => {
    const bars = withSignals(flat(6), { 1: LONG, 3: LONG });

    const result = run([longFixed(2)], bars);

    expect(result.fills).toHaveLength(1);
    expect(result.openTrades[0]?.quantity).toBe(2);
    expect(result.ignoredSignals).toEqual([expect.objectContaining({ barIndex: 3, action: 'enter_long' })]);
    expect(result.ignoredSignals[0]?.reason).toMatch(/already long/);
  });

  it('refuses to short on a spot account and says why', () => {
    const bars = withSignals(flat(4), { 1: SHORT });

    const result = run([shortFixed(1)], bars, { settings: plainSettings({ account: { market: 'spot' } }) });

    expect(result.fills).toEqual([]);
    expect(result.ignoredSignals).toEqual([expect.objectContaining({ action: 'enter_short', barIndex: 1 })]);
    expect(result.ignoredSignals[0]?.reason).toMatch(/spot accounts cannot short/);
  });

  it('goes long on a spot account, paying cash for the coins', () => {
    const bars = withSignals([...flat(3), ...flat(2, 110)], { 1: LONG });

    const result = run([longFixed(10)], bars, { settings: plainSettings({ account: { market: 'spot' } }) });

    expect(result.fills[0]).toMatchObject({ side: 'buy', quantity: 10, price: 100 });
    expect(result.equity.at(-1)?.equity).toBeCloseTo(10_000 + 10 * (110 - 100), 9);
  });

  it('sells short on a perpetual account and profits from a fall', () => {
    const bars = withSignals([...flat(3), ...flat(3, 90)], { 1: SHORT, 3: EXIT_SHORT });

    const result = run([shortFixed(2), exitShort], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({
        direction: 'short',
        entryPrice: 100,
        exitPrice: 90,
        pnl: 20,
        exitReason: 'exit',
      }),
    ]);
    expect(result.metrics.finalEquity).toBeCloseTo(10_020, 9);
  });

  it('lets leverage carry a position larger than the cash, capped by the buying power', () => {
    const bars = withSignals(flat(4), { 1: LONG });

    const oneX = run([longFixed(300)], bars);
    const fiveX = run([longFixed(300)], bars, { settings: plainSettings({ account: { leverage: 5 } }) });

    // 1×: 10,000 of margin buys 100 units at 100; 5×: the 30,000 notional needs only 6,000 of margin.
    expect(oneX.fills[0]?.quantity).toBe(100);
    expect(fiveX.fills[0]?.quantity).toBe(300);
  });
});
