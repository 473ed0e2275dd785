import { describe, expect, it } from 'vitest';
import type { Bar, Exit, OrderIntent, Sizing } from '../contract';
import { BarSchema, ExitSchema, OrderIntentSchema, SignalSchema, SizingSchema } from './contract-schemas';

const bar: Bar = { time: Date.UTC(2024, 0, 1), open: 100, high: 105, low: 95, close: 101, volume: 12 };
const intent: OrderIntent = {
  kind: 'order',
  action: 'enter_short',
  orderType: 'market',
  offsetPercent: 0,
  referencePrice: null,
  sizing: null,
  exits: [],
  timing: 'this_bar_open',
  expireAfterBars: 0,
};

/** `path: message` of every issue, or [] when the value parses. */
function issues(
  schema: { safeParse(v: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  value: unknown,
) {
  return (schema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('BarSchema', () => {
  it('accepts a bar, a doji and a zero-volume bar', () => {
    expect(issues(BarSchema, bar)).toEqual([]);
    expect(issues(BarSchema, { ...bar, open: 100, high: 100, low: 100, close: 100, volume: 0 })).toEqual([]);
  });

  it('rejects a low above the open at low', () => {
    expect(issues(BarSchema, { ...bar, low: 100.5 })).toEqual([
      'low: low must be at most open, close and high',
    ]);
  });

  it('rejects a NaN close and a negative price, naming the field', () => {
    expect(issues(BarSchema, { ...bar, close: Number.NaN })).toEqual([expect.stringMatching(/^close: /)]);
    expect(issues(BarSchema, { ...bar, low: -1 })).toEqual([expect.stringMatching(/^low: Too small/)]);
  });

  it('rejects a field the contract does not have', () => {
    const result = BarSchema.safeParse({ ...bar, timestamp: bar.time });

    expect(result.error?.issues.map((i) => [i.code, i.path])).toEqual([['unrecognized_keys', []]]);
  });
});

describe('SignalSchema', () => {
  it.each(['enter_long', 'enter_short', 'exit_long', 'exit_short'] as const)('accepts %s', (action) => {
    expect(issues(SignalSchema, { kind: 'signal', action })).toEqual([]);
  });

  it('rejects an order where a signal belongs', () => {
    expect(issues(SignalSchema, { ...intent })).not.toEqual([]);
  });
});

describe('SizingSchema', () => {
  const sizings: readonly Sizing[] = [
    { kind: 'fixed', quantity: 0.5 },
    { kind: 'percent_equity', percent: 25 },
    { kind: 'risk', riskPercent: 1, stopDistance: 120.5 },
    { kind: 'kelly', maxFraction: 0.25, window: 50, minTrades: 20, fallbackPercent: 1 },
  ];

  it.each(sizings)('accepts $kind sizing', (sizing) => {
    expect(issues(SizingSchema, sizing)).toEqual([]);
  });

  it('rejects a Kelly cap above the whole equity at maxFraction', () => {
    const kelly = { kind: 'kelly', maxFraction: 1.5, window: 50, minTrades: 20, fallbackPercent: 1 };

    expect(issues(SizingSchema, kelly)).toEqual([expect.stringMatching(/^maxFraction: /)]);
  });

  it('rejects an unknown kind at kind', () => {
    expect(issues(SizingSchema, { kind: 'all_in' })).toEqual([expect.stringMatching(/^kind: /)]);
  });
});

describe('ExitSchema', () => {
  const exits: readonly Exit[] = [
    { kind: 'stop_loss', percent: 2 },
    { kind: 'take_profit', distance: 350 },
    { kind: 'trailing_stop', percent: 1.5 },
    { kind: 'time_exit', bars: 48 },
  ];

  it.each(exits)('accepts a $kind exit', (exit) => {
    expect(issues(ExitSchema, exit)).toEqual([]);
  });

  it.each(['stop_loss', 'take_profit', 'trailing_stop'])(
    'rejects a %s exit with neither percent nor distance',
    (kind) => {
      expect(issues(ExitSchema, { kind })).toEqual([`percent: a ${kind} exit needs percent or distance`]);
    },
  );

  it('rejects a time exit of zero bars at bars', () => {
    expect(issues(ExitSchema, { kind: 'time_exit', bars: 0 })).toEqual([expect.stringMatching(/^bars: /)]);
  });
});

describe('OrderIntentSchema', () => {
  it('accepts a market exit without sizing or exits', () => {
    expect(issues(OrderIntentSchema, intent)).toEqual([]);
  });

  it('rejects a reference price of zero at referencePrice', () => {
    expect(issues(OrderIntentSchema, { ...intent, referencePrice: 0 })).toEqual([
      expect.stringMatching(/^referencePrice: /),
    ]);
  });

  it('names the exit and field inside a bad exits list', () => {
    const exits = [
      { kind: 'time_exit', bars: 10 },
      { kind: 'stop_loss', percent: -1 },
    ];

    expect(issues(OrderIntentSchema, { ...intent, exits })).toEqual([
      expect.stringMatching(/^exits\.1\.percent: /),
    ]);
  });
});
