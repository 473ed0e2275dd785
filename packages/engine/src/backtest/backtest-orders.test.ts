// End-to-end behaviour of resting entry orders: limit and stop entries wait for the price, fill when a bar
// touches them (with the maker or taker fee), carry their exits, and expire.
import { describe, expect, it } from 'vitest';
import { type BarSpec, flat, LONG, mark, plainSettings, type Rule, run } from './test-support/strategy';

/** The signal fires on bar 1, which closes at 100: the order's reference price. */
function afterSignal(...rest: BarSpec[]): BarSpec[] {
  return mark([...flat(2), ...rest], 1, LONG);
}

const limitEntry = (orderParams: string, exits?: string[]): Rule => ({
  action: 'enter_long',
  code: LONG,
  order: 'limit_order',
  orderParams,
  size: 'fixed_size(quantity: 2)',
  exits,
});

const stopEntry = (orderParams: string): Rule => ({
  action: 'enter_long',
  code: LONG,
  order: 'stop_order',
  orderParams,
  size: 'fixed_size(quantity: 2)',
});

describe('limit entries', () => {
  it('rest below the reference and fill at the limit with the maker fee when a bar touches it', () => {
    const bars = afterSignal([100, 101, 99.5, 100], [100, 100, 98, 99], ...flat(2, 99));
    const settings = plainSettings({ execution: { makerFee: 0.001, takerFee: 0.002 } });

    const result = run([limitEntry('offsetPercent: 1')], bars, { settings });

    const order = result.orders.find((o) => o.purpose === 'entry');
    expect(order).toMatchObject({ type: 'limit', price: 99, status: 'filled' });
    expect(result.fills).toEqual([
      expect.objectContaining({ price: 99, barIndex: 3, liquidity: 'maker', quantity: 2 }),
    ]);
    expect(result.fills[0]?.fee).toBeCloseTo(2 * 99 * 0.001, 12);
  });

  it('carry their stop loss, measured from the limit fill', () => {
    const bars = afterSignal([100, 100, 98, 99], [99, 99, 93, 94], ...flat(2, 94));

    const result = run([limitEntry('offsetPercent: 1', ['stop_loss(percent: 5)'])], bars);

    // 5% below the fill at 99 is 94.05.
    expect(result.trades).toEqual([
      expect.objectContaining({ entryPrice: 99, exitPrice: 94.05, exitBar: 3, exitReason: 'stop_loss' }),
    ]);
  });

  it('expire unfilled after expireAfterBars', () => {
    // Working on bar 2 only; bar 3 would have touched 99.
    const bars = afterSignal([100, 101, 99.5, 100], [100, 100, 98, 99], ...flat(2, 99));

    const result = run([limitEntry('offsetPercent: 1, expireAfterBars: 1')], bars);

    expect(result.fills).toEqual([]);
    expect(result.orders).toEqual([expect.objectContaining({ type: 'limit', status: 'expired' })]);
  });
});

describe('stop entries', () => {
  it('trigger above the reference and fill at the stop price with the taker fee', () => {
    const bars = afterSignal([100, 101, 99, 100], [101, 104, 100, 103], ...flat(2, 103));
    const settings = plainSettings({ execution: { makerFee: 0.001, takerFee: 0.002 } });

    const result = run([stopEntry('offsetPercent: 2')], bars, { settings });

    expect(result.fills).toEqual([expect.objectContaining({ price: 102, barIndex: 3, liquidity: 'taker' })]);
    expect(result.fills[0]?.fee).toBeCloseTo(2 * 102 * 0.002, 12);
  });

  it('fill at the open when the price gaps over the stop', () => {
    const bars = afterSignal([105, 106, 104, 105], ...flat(2, 105));

    const result = run([stopEntry('offsetPercent: 2')], bars);

    expect(result.fills).toEqual([expect.objectContaining({ price: 105, barIndex: 2 })]);
  });
});

describe('entries too small to trade', () => {
  it('are ignored with the reason when the size rounds to zero at the step size', () => {
    const bars = afterSignal(...flat(2));
    const rule: Rule = { action: 'enter_long', code: LONG, size: 'fixed_size(quantity: 0.0001)' };

    const result = run([rule], bars);

    expect(result.fills).toEqual([]);
    expect(result.ignoredSignals).toEqual([expect.objectContaining({ barIndex: 1, action: 'enter_long' })]);
    expect(result.ignoredSignals[0]?.reason).toMatch(/size is zero.*step size 0.001/);
  });
});
