import { describe, expect, it } from 'vitest';
import { fee, slippageAmount, slippedPrice } from './costs';

const ctx = { quantity: 1, barVolume: 100, barVolatility: 0.02 };

describe('slippedPrice', () => {
  it('moves buys up and sells down by a fixed amount', () => {
    const model = { kind: 'fixed', amount: 0.5 } as const;

    expect(slippedPrice(model, 'buy', 100, ctx)).toBe(100.5);
    expect(slippedPrice(model, 'sell', 100, ctx)).toBe(99.5);
  });

  it('moves the price by a proportional rate against the taker', () => {
    const model = { kind: 'proportional', rate: 0.001 } as const;

    expect(slippedPrice(model, 'buy', 2000, ctx)).toBeCloseTo(2002, 10);
    expect(slippedPrice(model, 'sell', 2000, ctx)).toBeCloseTo(1998, 10);
  });

  it('leaves the price alone without a model', () => {
    expect(slippedPrice({ kind: 'none' }, 'buy', 100, ctx)).toBe(100);
  });

  it('computes sqrt impact as price × coefficient × volatility × sqrt(qty / volume)', () => {
    const model = { kind: 'sqrt_impact', coefficient: 0.5 } as const;

    // 100 × 0.5 × 0.02 × sqrt(4 / 100) = 1 × 0.2 = 0.2
    const price = slippedPrice(model, 'buy', 100, { quantity: 4, barVolume: 100, barVolatility: 0.02 });

    expect(price).toBeCloseTo(100.2, 12);
  });

  it('grows sqrt impact with order size, by the square root', () => {
    const model = { kind: 'sqrt_impact', coefficient: 1 } as const;

    const small = slippageAmount(model, 100, { quantity: 1, barVolume: 100, barVolatility: 0.02 });
    const large = slippageAmount(model, 100, { quantity: 16, barVolume: 100, barVolatility: 0.02 });

    expect(large).toBeGreaterThan(small);
    expect(large / small).toBeCloseTo(4, 12);
  });

  it('refuses sqrt impact on a bar without volume instead of inventing liquidity', () => {
    const model = { kind: 'sqrt_impact', coefficient: 1 } as const;

    expect(() => slippedPrice(model, 'buy', 100, { quantity: 1, barVolume: 0, barVolatility: 0.02 })).toThrow(
      'needs a bar volume > 0',
    );
    expect(slippageAmount(model, 100, { quantity: 0, barVolume: 0, barVolatility: 0.02 })).toBe(0);
  });

  it('refuses negative model parameters, which would turn slippage into a gift', () => {
    expect(() => slippedPrice({ kind: 'fixed', amount: -1 }, 'buy', 100, ctx)).toThrow(
      'amount must be a number >= 0',
    );
    expect(() => slippedPrice({ kind: 'proportional', rate: -0.1 }, 'buy', 100, ctx)).toThrow('rate');
    expect(() =>
      slippedPrice({ kind: 'sqrt_impact', coefficient: 1 }, 'buy', 100, { ...ctx, barVolatility: -1 }),
    ).toThrow('barVolatility');
  });
});

describe('fee', () => {
  it('charges the rate on the absolute notional', () => {
    expect(fee(25_000, 0.001)).toBeCloseTo(25, 12);
    expect(fee(-25_000, 0.001)).toBeCloseTo(25, 12);
    expect(fee(1000, 0)).toBe(0);
  });

  it('refuses a negative rate (rebates are not modelled)', () => {
    expect(() => fee(100, -0.0001)).toThrow('fee rate must be a number >= 0');
  });
});
