// Same-bar ordering and partial-fill honesty in the backtest loop.
import { describe, expect, it } from 'vitest';
import { flat, LONG, mark, plainSettings, type Rule, run, SHORT } from './test-support/strategy';

describe('signals on one bar', () => {
  it('closes the long before opening the short when an exit and an opposite entry fire together', () => {
    // The entry is listed (and so evaluated) before the exit: the engine must still take the exit first.
    const rules: Rule[] = [
      { action: 'enter_long', code: LONG, size: 'fixed_size(quantity: 2)' },
      { action: 'enter_short', code: SHORT, size: 'fixed_size(quantity: 3)' },
      { action: 'exit_long', code: SHORT },
    ];
    const bars = mark(mark([...flat(4), ...flat(3, 90)], 1, LONG), 3, SHORT);

    const result = run(rules, bars);

    expect(result.fills.map((f) => [f.side, f.quantity, f.price, f.barIndex, f.purpose])).toEqual([
      ['buy', 2, 100, 2, 'entry'],
      ['sell', 2, 90, 4, 'exit'],
      ['sell', 3, 90, 4, 'entry'],
    ]);
    expect(result.ignoredSignals).toEqual([]);
  });

  it('does the same in close-fill mode', () => {
    const rules: Rule[] = [
      { action: 'enter_long', code: LONG, size: 'fixed_size(quantity: 2)' },
      { action: 'enter_short', code: SHORT, size: 'fixed_size(quantity: 3)' },
      { action: 'exit_long', code: SHORT },
    ];
    const bars = mark(mark([...flat(3), ...flat(3, 90)], 1, LONG), 3, SHORT);

    const result = run(rules, bars, { settings: plainSettings({ execution: { fill: 'close' } }) });

    expect(result.fills.map((f) => [f.side, f.quantity, f.barIndex, f.purpose])).toEqual([
      ['buy', 2, 1, 'entry'],
      ['sell', 2, 3, 'exit'],
      ['sell', 3, 3, 'entry'],
    ]);
  });
});

describe('volume cap', () => {
  it('says in the warnings when market orders were cut by the share of bar volume they may take', () => {
    // Plain bars have volume 1 (signal bars carry the code), so 10% lets 0.1 units fill of the 2 asked for.
    const bars = mark(flat(5), 1, LONG);

    const result = run([{ action: 'enter_long', code: LONG, size: 'fixed_size(quantity: 2)' }], bars, {
      settings: plainSettings({ execution: { maxVolumeShare: 0.1 } }),
    });

    expect(result.fills).toEqual([expect.objectContaining({ quantity: 0.1, purpose: 'entry' })]);
    expect(result.warnings).toContain(
      "1 market orders were only partly filled: at most 10% of a bar's volume fills per order (volume share setting)",
    );
  });
});
