// End-to-end behaviour of the exits attached to an entry: stop loss (percent and ATR), take profit, the
// pessimistic reading of a bar that touches both, trailing stops, time exits, and liquidation of a perp.
import { describe, expect, it } from 'vitest';
import {
  type BarSpec,
  flat,
  LONG,
  mark,
  plainSettings,
  type Rule,
  run,
  SHORT,
} from './test-support/strategy';

/** A long entry of 10 units signalled on bar 1, so it fills at bar 2's open. */
const long = (...exits: string[]): Rule => ({
  action: 'enter_long',
  code: LONG,
  size: 'fixed_size(quantity: 10)',
  exits,
});

/** Two flat bars at 100 with the entry signal on bar 1, then `rest`. */
function afterEntry(...rest: BarSpec[]): BarSpec[] {
  return mark([...flat(2), ...rest], 1, LONG);
}

describe('stop loss', () => {
  it('closes a long at the stop price when a later bar trades through it (percent mode)', () => {
    const bars = afterEntry([100, 101, 99, 100], [100, 101, 94, 96], ...flat(2, 96));

    const result = run([long('stop_loss(percent: 5)')], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({
        entryPrice: 100,
        exitPrice: 95,
        exitBar: 3,
        exitReason: 'stop_loss',
        pnl: -50,
      }),
    ]);
    expect(result.orders.find((o) => o.purpose === 'stop_loss')).toMatchObject({
      price: 95,
      status: 'filled',
    });
  });

  it('is hit on the entry bar itself when that bar reaches the stop (pessimistic)', () => {
    const bars = afterEntry([100, 101, 90, 98], ...flat(2, 98));

    const result = run([long('stop_loss(percent: 5)')], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({ entryBar: 2, exitBar: 2, exitPrice: 95, exitReason: 'stop_loss' }),
    ]);
  });

  it('fills at the open when the price gaps through the stop', () => {
    const bars = afterEntry([100, 101, 99, 100], [90, 92, 88, 91], ...flat(2, 91));

    const result = run([long('stop_loss(percent: 5)')], bars);

    expect(result.trades[0]).toMatchObject({ exitPrice: 90, exitBar: 3, exitReason: 'stop_loss', pnl: -100 });
  });

  it('measures the distance in ATRs of the signal bar in atr mode', () => {
    // Every bar spans 4 (high − low), so ATR(2) is 4 and a 2-ATR stop sits 8 below the entry.
    const range = (p: number): BarSpec => [p, p + 2, p - 2, p];
    const bars = mark(
      [range(100), range(100), range(100), [101, 103, 99, 101], [101, 102, 92, 93], range(93)],
      2,
      LONG,
    );

    const result = run([long('stop_loss(atr: atr.value, mode: "atr", multiple: 2)')], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({ entryPrice: 101, exitPrice: 93, exitBar: 4, exitReason: 'stop_loss' }),
    ]);
  });

  it('protects a short above its entry', () => {
    const short: Rule = {
      action: 'enter_short',
      code: SHORT,
      size: 'fixed_size(quantity: 10)',
      exits: ['stop_loss(percent: 5)'],
    };
    const bars = mark([...flat(3), [100, 106, 99, 104], ...flat(2, 104)], 1, SHORT);

    const result = run([short], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({ direction: 'short', exitPrice: 105, exitReason: 'stop_loss', pnl: -50 }),
    ]);
  });
});

describe('take profit', () => {
  it('closes a long at the target price', () => {
    const bars = afterEntry([100, 101, 99, 100], [100, 112, 99, 111], ...flat(2, 111));

    const result = run([long('take_profit(percent: 10)')], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({ exitPrice: 110, exitBar: 3, exitReason: 'take_profit', pnl: 100 }),
    ]);
  });

  it('lets the stop win when one bar touches both the stop and the target, and cancels the target', () => {
    const bars = afterEntry([100, 101, 99, 100], [100, 106, 94, 100], ...flat(2));

    const result = run([long('stop_loss(percent: 5)', 'take_profit(percent: 5)')], bars);

    expect(result.trades).toEqual([expect.objectContaining({ exitPrice: 95, exitReason: 'stop_loss' })]);
    const target = result.orders.find((o) => o.purpose === 'take_profit');
    expect(target).toMatchObject({ price: 105, status: 'canceled' });
    expect(target?.reason).toMatch(/OCO/);
  });
});

describe('trailing stop', () => {
  it('ratchets up with the highs, never loosens, and closes the position when hit', () => {
    const bars = afterEntry(
      [100, 100, 100, 100], // entry bar: the stop starts 10% below the entry, at 90
      [100, 120, 100, 118], // new high 120 → stop 108
      [118, 119, 110, 112], // high 119 would give 107.1: the stop stays at 108
      [112, 113, 105, 106], // trades through 108
      ...flat(2, 106),
    );

    const result = run([long('trailing_stop(percent: 10)')], bars);

    expect(result.trades).toEqual([
      expect.objectContaining({ exitPrice: 108, exitBar: 5, exitReason: 'trailing_stop', pnl: 80 }),
    ]);
    const levels = result.orders.filter((o) => o.purpose === 'trailing_stop').map((o) => [o.price, o.status]);
    expect(levels).toEqual([
      [90, 'canceled'],
      [108, 'filled'],
    ]);
  });

  it('trails a short below its lows', () => {
    const short: Rule = {
      action: 'enter_short',
      code: SHORT,
      size: 'fixed_size(quantity: 10)',
      exits: ['trailing_stop(percent: 10)'],
    };
    const bars = mark([...flat(3), [100, 100, 80, 82], [82, 90, 81, 89], ...flat(2, 89)], 1, SHORT);

    const result = run([short], bars);

    // Low 80 → stop 88; bar 4 opens below it and rises through it.
    expect(result.trades).toEqual([
      expect.objectContaining({ exitPrice: 88, exitReason: 'trailing_stop', pnl: 120 }),
    ]);
  });
});

describe('trailing stop after a fill at the close', () => {
  it("does not ratchet on the entry bar's high, which traded before the entry", () => {
    // The signal bar (1) spikes to 130 and closes at 100: a stop trailed from 130 would sit at 117, above
    // the price, and close the position at once.
    const bars = mark([[100, 100, 100, 100], [100, 130, 99, 100], ...flat(4)], 1, LONG);

    const result = run([long('trailing_stop(percent: 10)')], bars, {
      settings: plainSettings({ execution: { fill: 'close' } }),
    });

    expect(result.trades).toEqual([]);
    expect(result.openTrades).toEqual([expect.objectContaining({ entryPrice: 100, quantity: 10 })]);
    expect(result.orders.filter((o) => o.purpose === 'trailing_stop').map((o) => o.price)).toEqual([90]);
  });
});

describe('exit after bars', () => {
  it('closes the position once it has been held the given number of bars', () => {
    const bars = afterEntry(...flat(8));

    const result = run([long('exit_after_bars(bars: 3)')], bars);

    // Entered at bar 2's open; after bars 2, 3 and 4 it has been held 3 bars, so it closes at bar 5's open.
    expect(result.trades).toEqual([
      expect.objectContaining({ entryBar: 2, exitBar: 5, exitReason: 'time_exit' }),
    ]);
  });

  it("closes at the close of the last bar in fill: 'close' mode", () => {
    const bars = afterEntry(...flat(8));

    const result = run([long('exit_after_bars(bars: 3)')], bars, {
      settings: plainSettings({ execution: { fill: 'close' } }),
    });

    // Entered at bar 1's close; held through bars 2, 3 and 4, closed at bar 4's close.
    expect(result.trades).toEqual([
      expect.objectContaining({ entryBar: 1, exitBar: 4, exitReason: 'time_exit' }),
    ]);
  });
});

describe('perpetual futures', () => {
  it('liquidates a 10× long on a large adverse move and loses no more than its margin', () => {
    const settings = plainSettings({ account: { leverage: 10, maintenanceMarginRate: 0.005 } });
    // 900 units at 100 = 90,000 notional on 9,000 of margin.
    const rule: Rule = { action: 'enter_long', code: LONG, size: 'fixed_size(quantity: 900)' };
    const bars = afterEntry([100, 101, 99, 100], [100, 100, 80, 85], ...flat(2, 85));

    const result = run([rule], bars, { settings });

    // Isolated margin: liquidated where margin + loss = maintenance × notional, (100 − 100/10) / (1 − 0.005).
    const liquidation = (100 - 10) / (1 - 0.005);
    expect(result.trades).toEqual([
      expect.objectContaining({ exitReason: 'liquidation', exitBar: 3, quantity: 900 }),
    ]);
    expect(result.trades[0]?.exitPrice).toBeCloseTo(liquidation, 9);
    expect(result.trades[0]?.pnl).toBeCloseTo(900 * (liquidation - 100), 6);
    expect(result.metrics.finalEquity).toBeGreaterThanOrEqual(10_000 - 9_000);
    expect(Math.min(...result.equity.map((p) => p.equity))).toBeGreaterThan(0);
  });
});
