import type { RiskSettings } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../types';
import { type RiskAccountState, RiskEngine, type RiskIntent, SUGGESTED_RISK } from './risk-engine';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1); // midnight UTC

function entry(overrides: Partial<RiskIntent> = {}): RiskIntent {
  return { symbol: 'BTC', action: 'enter_long', quantity: 1, price: 100, reducing: false, ...overrides };
}

function exit(overrides: Partial<RiskIntent> = {}): RiskIntent {
  return { symbol: 'BTC', action: 'exit_long', quantity: 1, price: 100, reducing: true, ...overrides };
}

function account(
  overrides: Partial<RiskAccountState> & { positions?: Record<string, number> } = {},
): RiskAccountState {
  const positions = overrides.positions ?? {};
  const totalExposure = Object.values(positions).reduce((sum, notional) => sum + Math.abs(notional), 0);
  return {
    equity: 1000,
    positionNotional: (symbol) => positions[symbol] ?? 0,
    totalExposure,
    barIndex: 10,
    time: T0,
    ...overrides,
  };
}

describe('RiskEngine without settings', () => {
  it('accepts any size and never trips a breaker (compatibility runs)', () => {
    const engine = new RiskEngine(undefined);
    const result = engine.check(entry({ quantity: 1e6 }), account({ positions: { BTC: 1e9 } }));
    expect(result).toEqual({ decision: 'accept', quantity: 1e6, reason: null });
    expect(engine.onEquity(T0, 1000).tripped).toBeNull();
    expect(engine.onEquity(T0 + 1, 1).tripped).toBeNull();
    expect(engine.state()).toBe('ACTIVE');
    expect(engine.decisions()).toEqual([]);
  });

  it('still obeys the kill switch', () => {
    const engine = new RiskEngine(undefined);
    engine.killSwitch('user pressed stop');
    expect(engine.check(entry(), account()).decision).toBe('deny');
    expect(engine.check(exit(), account()).decision).toBe('accept');
  });
});

describe('RiskEngine checks', () => {
  it('rejects invalid settings with a message naming the field', () => {
    expect(() => new RiskEngine({ maxPositionPct: -5 } as RiskSettings)).toThrow(/maxPositionPct/);
  });

  it('throws on a non-finite quantity instead of passing corrupt numbers on', () => {
    const engine = new RiskEngine({});
    expect(() => engine.check(entry({ quantity: Number.NaN }), account())).toThrow(
      /enter_long BTC at bar 10/,
    );
  });

  it('denies a repeated entry in the direction of an open position when dedupeSignals is on', () => {
    const engine = new RiskEngine({ dedupeSignals: true });
    const result = engine.check(entry(), account({ positions: { BTC: 500 } }));
    expect(result.decision).toBe('deny');
    expect(result.reason).toMatch(/duplicate signal: a long position/);
  });

  it('lets an entry against the open position through de-duplication (a reversal is not a repeat)', () => {
    const engine = new RiskEngine({ dedupeSignals: true });
    expect(
      engine.check(entry({ action: 'enter_short' }), account({ positions: { BTC: 500 } })).decision,
    ).toBe('accept');
  });

  it('allows a repeated entry when dedupeSignals is off', () => {
    const engine = new RiskEngine({});
    expect(engine.check(entry(), account({ positions: { BTC: 500 } })).decision).toBe('accept');
  });

  it('denies entries for cooldownBars bars after a trade on the symbol closed, then allows them', () => {
    const engine = new RiskEngine({ cooldownBars: 3 });
    engine.onTradeClosed('BTC', 10);
    // closed at bar 10: bars 10..13 wait, 14 may enter
    for (const barIndex of [10, 11, 12, 13]) {
      const result = engine.check(entry(), account({ barIndex }));
      expect(result.decision, `bar ${barIndex}`).toBe('deny');
      expect(result.reason).toMatch(/cooldown.*resume at bar 14/);
    }
    expect(engine.check(entry(), account({ barIndex: 14 })).decision).toBe('accept');
    // other symbols are not cooling down
    expect(engine.check(entry({ symbol: 'ETH' }), account({ barIndex: 11 })).decision).toBe('accept');
  });

  it('reduces an entry to fit max position % of equity', () => {
    const engine = new RiskEngine({ maxPositionPct: 50 });
    // limit 50% × 1000 = 500; holding 300 long → 200 of room → 2 units at 100
    const result = engine.check(entry({ quantity: 5 }), account({ positions: { BTC: 300 } }));
    expect(result.decision).toBe('reduce');
    expect(result.quantity).toBeCloseTo(2, 12);
    expect(result.reason).toMatch(/max position 50%/);
  });

  it('denies an entry when nothing fits the position cap', () => {
    const engine = new RiskEngine({ maxPositionPct: 50 });
    const result = engine.check(entry(), account({ positions: { BTC: 500 } }));
    expect(result).toMatchObject({ decision: 'deny', quantity: 0 });
  });

  it('counts an opposite position as room for a reversal under the position cap', () => {
    const engine = new RiskEngine({ maxPositionPct: 50 });
    // short 300 → buying 800 of notional ends long 500 = the cap exactly
    expect(engine.check(entry({ quantity: 8 }), account({ positions: { BTC: -300 } })).decision).toBe(
      'accept',
    );
    expect(engine.check(entry({ quantity: 9 }), account({ positions: { BTC: -300 } })).quantity).toBeCloseTo(
      8,
      12,
    );
  });

  it('reduces an entry to fit max total exposure, counting every symbol', () => {
    const engine = new RiskEngine({ maxExposurePct: 60 });
    // limit 600; ETH 250 short + BTC 150 long = 400 → 200 room → 2 units
    const result = engine.check(entry({ quantity: 3 }), account({ positions: { BTC: 150, ETH: -250 } }));
    expect(result.decision).toBe('reduce');
    expect(result.quantity).toBeCloseTo(2, 12);
    expect(result.reason).toMatch(/max exposure 60%/);
  });

  it('denies an entry when total exposure is already at its cap', () => {
    const engine = new RiskEngine({ maxExposurePct: 60 });
    const result = engine.check(entry({ symbol: 'SOL' }), account({ positions: { ETH: 600 } }));
    expect(result.decision).toBe('deny');
    expect(result.reason).toMatch(/max exposure/);
  });

  it('applies the tighter of the two caps and names both', () => {
    const engine = new RiskEngine({ maxPositionPct: 40, maxExposurePct: 50 });
    // position room 400 → 4 units; exposure room 500 − 300 = 200 → 2 units
    const result = engine.check(entry({ quantity: 10 }), account({ positions: { ETH: 300 } }));
    expect(result.quantity).toBeCloseTo(2, 12);
    expect(result.reason).toMatch(/max position 40%.*max exposure 50%/);
  });

  it('rounds a reduced quantity down to the step and denies it below the minimum notional', () => {
    const instrument: Instrument = {
      symbol: 'BTC',
      base: 'BTC',
      quote: 'USDT',
      tickSize: 0.01,
      stepSize: 0.1,
      minQty: 0.1,
      minNotional: 10,
    };
    const engine = new RiskEngine({ maxPositionPct: 50 });
    // room 500 − 263 = 237 → 2.37 units → 2.3 at step 0.1
    const reduced = engine.check(entry({ quantity: 5, instrument }), account({ positions: { BTC: 263 } }));
    expect(reduced).toMatchObject({ decision: 'reduce', quantity: 2.3 });
    // room 500 − 495 = 5 → 0.05 units → 0 at step 0.1
    const denied = engine.check(entry({ quantity: 5, instrument }), account({ positions: { BTC: 495 } }));
    expect(denied.decision).toBe('deny');
  });

  it('never reduces or denies an exit, whatever the caps', () => {
    const engine = new RiskEngine({
      maxPositionPct: 1,
      maxExposurePct: 1,
      dedupeSignals: true,
      cooldownBars: 5,
    });
    engine.onTradeClosed('BTC', 10);
    const result = engine.check(exit({ quantity: 50 }), account({ positions: { BTC: 5000 } }));
    expect(result).toEqual({ decision: 'accept', quantity: 50, reason: null });
  });

  it('records every reduce and deny with its reason, and no plain accepts', () => {
    const engine = new RiskEngine({ maxPositionPct: 50, dedupeSignals: true });
    engine.check(entry({ quantity: 1 }), account({ barIndex: 3, time: T0 + 3 }));
    engine.check(entry({ quantity: 9 }), account({ barIndex: 4, time: T0 + 4 }));
    engine.check(entry({ quantity: 1 }), account({ barIndex: 5, time: T0 + 5, positions: { BTC: 500 } }));
    const log = engine.decisions();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      time: T0 + 4,
      barIndex: 4,
      symbol: 'BTC',
      action: 'enter_long',
      requested: 9,
      decision: 'reduce',
    });
    expect(log[0]?.granted).toBeCloseTo(5, 12);
    expect(log[1]).toMatchObject({ barIndex: 5, requested: 1, granted: 0, decision: 'deny' });
    expect(log[1]?.reason).toMatch(/duplicate/);
  });
});

describe('RiskEngine circuit breakers', () => {
  it('halts for the day when the loss since the day’s first equity reaches the daily limit, and resumes at UTC midnight', () => {
    const engine = new RiskEngine({ dailyLossLimitPct: 5 });
    engine.onEquity(T0 + 1 * 3_600_000, 1000);
    expect(engine.onEquity(T0 + 2 * 3_600_000, 951).state).toBe('REDUCING'); // −4.9%: not yet halted
    const trip = engine.onEquity(T0 + 3 * 3_600_000, 950); // −5.0%
    expect(trip.state).toBe('HALTED');
    expect(trip.tripped).toMatchObject({ breaker: 'daily_loss', flatten: true });
    expect(engine.check(entry(), account({ time: T0 + 23 * 3_600_000 })).reason).toMatch(
      /daily loss breaker/,
    );
    expect(engine.check(exit(), account({ time: T0 + 23 * 3_600_000 })).decision).toBe('accept');
    // still halted one millisecond before midnight; a check on the new day lifts it
    expect(engine.onEquity(T0 + DAY - 1, 960).state).toBe('HALTED');
    expect(engine.check(entry(), account({ time: T0 + DAY })).decision).toBe('accept');
    expect(engine.state()).toBe('ACTIVE');
  });

  it('measures the daily loss from the first equity of each UTC day', () => {
    const engine = new RiskEngine({ dailyLossLimitPct: 5 });
    engine.onEquity(T0, 1000);
    engine.onEquity(T0 + DAY - 1, 960); // −4% on day one
    // day two starts at 955: 955 → 910 is −4.7%, not −9% from 1000
    engine.onEquity(T0 + DAY, 955);
    expect(engine.onEquity(T0 + DAY + 1, 910).state).not.toBe('HALTED');
    expect(engine.onEquity(T0 + DAY + 2, 907).tripped?.breaker).toBe('daily_loss'); // −5.03%
  });

  it('halts for the rest of the run when the drawdown from the peak reaches maxDrawdownPct', () => {
    const engine = new RiskEngine({ maxDrawdownPct: 20 });
    engine.onEquity(T0, 1000);
    engine.onEquity(T0 + 1, 1250); // peak
    const trip = engine.onEquity(T0 + 2, 1000); // (1250 − 1000) / 1250 = 20%
    expect(trip.tripped).toMatchObject({ breaker: 'max_drawdown', flatten: true });
    // recovery and new days do not lift it
    expect(engine.onEquity(T0 + 5 * DAY, 2000)).toEqual({ state: 'HALTED', tripped: null });
    expect(engine.check(entry(), account({ time: T0 + 5 * DAY })).reason).toMatch(/max drawdown breaker/);
  });

  it('does not enter REDUCING on the way to the drawdown limit: flat equity could never recover from it', () => {
    const engine = new RiskEngine({ maxDrawdownPct: 20 });
    engine.onEquity(T0, 1000);
    // 18% drawdown, 90% of the limit: still trading, so the strategy can earn its way back
    expect(engine.onEquity(T0 + 1, 820)).toEqual({ state: 'ACTIVE', tripped: null });
    expect(engine.check(entry(), account()).decision).toBe('accept');
    expect(engine.onEquity(T0 + 2, 800).state).toBe('HALTED');
  });

  it('enters REDUCING at 75% of the daily loss limit', () => {
    const engine = new RiskEngine({ dailyLossLimitPct: 4 });
    engine.onEquity(T0, 1000);
    expect(engine.onEquity(T0 + 1, 970).state).toBe('REDUCING'); // 3% = 75% of 4%
  });

  it('kill switch halts at once, asks to flatten, and nothing lifts it', () => {
    const engine = new RiskEngine(SUGGESTED_RISK);
    engine.onEquity(T0, 1000);
    const result = engine.killSwitch('user pressed stop', T0 + 5);
    expect(result).toEqual({
      state: 'HALTED',
      tripped: { breaker: 'kill_switch', reason: 'kill switch: user pressed stop', flatten: true },
    });
    engine.onEquity(T0 + 3 * DAY, 5000);
    expect(engine.state()).toBe('HALTED');
    expect(engine.check(entry(), account({ time: T0 + 3 * DAY })).reason).toMatch(
      /kill switch: user pressed stop/,
    );
    expect(engine.check(exit(), account({ time: T0 + 3 * DAY })).decision).toBe('accept');
    expect(engine.stateChanges()).toEqual([
      { time: T0 + 5, from: 'ACTIVE', to: 'HALTED', reason: 'kill switch: user pressed stop' },
    ]);
  });

  it('restores a snapshot into a fresh engine with the same state, cooldowns and log', () => {
    const engine = new RiskEngine({ dailyLossLimitPct: 5, cooldownBars: 2, maxDrawdownPct: 50 });
    engine.onEquity(T0, 1000);
    engine.onTradeClosed('BTC', 10);
    engine.check(entry(), account({ barIndex: 11 }));
    engine.onEquity(T0 + 1, 940);
    const copy = new RiskEngine({ dailyLossLimitPct: 5, cooldownBars: 2, maxDrawdownPct: 50 });
    copy.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    expect(copy.state()).toBe('HALTED');
    expect(copy.decisions()).toEqual(engine.decisions());
    expect(copy.stateChanges()).toEqual(engine.stateChanges());
    // cooldown survives; the daily halt lifts the next day like the original's would
    expect(copy.check(entry(), account({ barIndex: 12, time: T0 + DAY })).reason).toMatch(/cooldown/);
    expect(copy.check(entry(), account({ barIndex: 13, time: T0 + DAY })).decision).toBe('accept');
  });

  it('refuses to restore something that is not a snapshot', () => {
    expect(() => new RiskEngine(undefined).restore({ foo: 1 })).toThrow(
      /not a version 1 risk-engine snapshot/,
    );
  });
});

describe('SUGGESTED_RISK', () => {
  it('suggests 2% risk per trade, 60% exposure, 5% daily loss and 25% drawdown', () => {
    expect(SUGGESTED_RISK).toMatchObject({
      riskPerTradePct: 2,
      maxExposurePct: 60,
      dailyLossLimitPct: 5,
      maxDrawdownPct: 25,
    });
  });
});
