import { describe, expect, it } from 'vitest';
import type { Instrument, Trade } from '../types';
import { effectiveSizing, resolveQuantity, type SizingContext } from './sizing';

const BTC: Instrument = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
};

function ctx(overrides: Partial<SizingContext> = {}): SizingContext {
  return {
    equity: 10_000,
    price: 20_000,
    instrument: BTC,
    buyingPower: 1_000_000,
    closedTrades: [],
    defaultPercent: 10,
    allInUnits: false,
    ...overrides,
  };
}

function trade(pnl: number): Trade {
  return {
    symbol: 'BTC/USDT',
    direction: 'long',
    quantity: 1,
    entryTime: 0,
    exitTime: 1,
    entryBar: 0,
    exitBar: 1,
    entryPrice: 100,
    exitPrice: 100 + pnl,
    pnl,
    returnPct: pnl,
    fees: 0,
    funding: 0,
    exitReason: 'exit',
  };
}

describe('resolveQuantity', () => {
  it('uses a fixed quantity as given when it is on the step grid', () => {
    const result = resolveQuantity({ kind: 'fixed', quantity: 0.25 }, ctx());
    expect(result).toEqual({ quantity: 0.25 });
  });

  it('sizes percent of equity as equity × pct / price, rounded down to the step', () => {
    // 10 000 × 33% / 20 000 = 0.165 exactly; at price 30 000: 3300 / 30 000 = 0.11
    expect(resolveQuantity({ kind: 'percent_equity', percent: 33 }, ctx()).quantity).toBe(0.165);
    // 10 000 × 10% / 30 000 = 0.0333… → 0.033
    expect(resolveQuantity({ kind: 'percent_equity', percent: 10 }, ctx({ price: 30_000 })).quantity).toBe(
      0.033,
    );
  });

  it('sizes risk so that the stop distance loses riskPercent of equity', () => {
    // risk 2% of 10 000 = 200; a 500-point stop → 0.4 units
    const result = resolveQuantity({ kind: 'risk', riskPercent: 2, stopDistance: 500 }, ctx());
    expect(result.quantity).toBe(0.4);
    expect(result.quantity * 500).toBeCloseTo(200, 9);
  });

  it('returns 0 with a note when a risk sizing has no positive stop distance', () => {
    const result = resolveQuantity({ kind: 'risk', riskPercent: 2, stopDistance: 0 }, ctx());
    expect(result.quantity).toBe(0);
    expect(result.note).toMatch(/positive stop distance/);
  });

  it('uses defaultPercent of equity when the order has no sizing', () => {
    // 10% of 10 000 = 1000 quote → 1000 / 20 000 = 0.05
    expect(resolveQuantity(null, ctx()).quantity).toBe(0.05);
  });

  it('caps every quantity at what the buying power can pay for, noting it', () => {
    // 3000 quote of buying power at 20 000 = 0.15 units
    const result = resolveQuantity({ kind: 'fixed', quantity: 1 }, ctx({ buyingPower: 3000 }));
    expect(result.quantity).toBe(0.15);
    expect(result.note).toMatch(/buying power/);
  });

  it('rounds down, never up, to the step size', () => {
    const result = resolveQuantity({ kind: 'fixed', quantity: 0.0129999 }, ctx());
    expect(result.quantity).toBe(0.012);
  });

  it('returns 0 with a note below the minimum quantity', () => {
    const result = resolveQuantity({ kind: 'fixed', quantity: 0.0009 }, ctx());
    expect(result.quantity).toBe(0);
    expect(result.note).toMatch(/step size|minimum quantity/);
  });

  it('returns 0 with a note when on the step grid but below the minimum quantity', () => {
    const instrument: Instrument = { ...BTC, minQty: 0.01 };
    const result = resolveQuantity({ kind: 'fixed', quantity: 0.009 }, ctx({ instrument }));
    expect(result.quantity).toBe(0);
    expect(result.note).toMatch(/below the minimum quantity 0.01/);
  });

  it('returns 0 with a note below the minimum notional', () => {
    const instrument: Instrument = { ...BTC, minNotional: 50 };
    // 0.002 × 20 000 = 40 < 50
    const result = resolveQuantity({ kind: 'fixed', quantity: 0.002 }, ctx({ instrument }));
    expect(result.quantity).toBe(0);
    expect(result.note).toMatch(/minimum notional 50/);
  });

  it('returns 0 with a note when the price is not positive or equity is gone', () => {
    expect(resolveQuantity(null, ctx({ price: 0 })).note).toMatch(/price 0/);
    expect(resolveQuantity(null, ctx({ equity: -5 })).note).toMatch(/equity -5/);
  });

  it('allInUnits buys floor(buyingPower / price) whole units whatever the sizing says', () => {
    const stock: Instrument = { ...BTC, symbol: 'GOOG', stepSize: 0.0001, minQty: 0, minNotional: 0 };
    // 9 999 / 300 = 33.33 → 33 whole units
    const result = resolveQuantity(
      { kind: 'percent_equity', percent: 1 },
      ctx({ instrument: stock, price: 300, buyingPower: 9_999, allInUnits: true }),
    );
    expect(result.quantity).toBe(33);
  });

  describe('Kelly', () => {
    const kelly = { kind: 'kelly', maxFraction: 0.5, window: 4, minTrades: 3, fallbackPercent: 5 } as const;

    it('uses the fallback percent, with a note, until minTrades closed trades exist', () => {
      const result = resolveQuantity(kelly, ctx({ closedTrades: [trade(10), trade(-5)] }));
      // 5% of 10 000 / 20 000 = 0.025
      expect(result.quantity).toBe(0.025);
      expect(result.note).toMatch(/fallback 5%/);
    });

    it('sizes f* = W − (1 − W)/R of equity from the last `window` trades only', () => {
      // The first trade (a huge loss) falls outside the window of 4.
      const trades = [trade(-1000), trade(30), trade(-10), trade(20), trade(10)];
      // window: +30, −10, +20, +10 → W = 3/4, avg win 20, avg loss 10, R = 2 → f* = 0.75 − 0.25/2 = 0.625
      // capped at 0.5 → 0.5 × 10 000 / 20 000 = 0.25
      const capped = resolveQuantity(kelly, ctx({ closedTrades: trades }));
      expect(capped.quantity).toBe(0.25);
      expect(capped.note).toMatch(/capped at 0.5/);

      const uncapped = resolveQuantity({ ...kelly, maxFraction: 1 }, ctx({ closedTrades: trades }));
      const expected = Math.floor(((0.75 - 0.25 / 2) * 10_000) / 20_000 / 0.001) * 0.001;
      expect(uncapped.quantity).toBeCloseTo(expected, 12);
      expect(uncapped.note).toBeUndefined();
    });

    it('sizes 0 when the Kelly fraction is negative', () => {
      // W = 1/3, avg win 10, avg loss 10 → f* = 1/3 − (2/3)/1 < 0
      const result = resolveQuantity(kelly, ctx({ closedTrades: [trade(10), trade(-10), trade(-10)] }));
      expect(result.quantity).toBe(0);
      expect(result.note).toMatch(/not positive/);
    });

    it('sizes 0 when no trade in the window won', () => {
      const result = resolveQuantity(kelly, ctx({ closedTrades: [trade(-1), trade(-2), trade(-3)] }));
      expect(result.quantity).toBe(0);
    });
  });
});

describe('effectiveSizing', () => {
  it('applies riskPerTradePct to an order without sizing that has a stop', () => {
    expect(effectiveSizing(null, { riskPerTradePct: 2 }, 150)).toEqual({
      kind: 'risk',
      riskPercent: 2,
      stopDistance: 150,
    });
  });

  it("keeps the order's own sizing, and leaves orders without a stop alone", () => {
    const own = { kind: 'fixed', quantity: 1 } as const;
    expect(effectiveSizing(own, { riskPerTradePct: 2 }, 150)).toBe(own);
    expect(effectiveSizing(null, { riskPerTradePct: 2 }, null)).toBeNull();
    expect(effectiveSizing(null, undefined, 150)).toBeNull();
  });
});
