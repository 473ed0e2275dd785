import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../types';
import {
  checkOrderFilters,
  decimalsOf,
  inferInstrument,
  isMultipleOf,
  parseSymbol,
  roundQuantity,
  roundToIncrement,
  roundToTick,
} from './instrument';

describe('roundToTick', () => {
  it('rounds 0.1 + 0.2 to exactly 0.3', () => {
    expect(roundToTick(0.1 + 0.2, 0.1, 'nearest')).toBe(0.3);
  });

  it('keeps a price already on the tick in every mode, despite float noise', () => {
    // 0.29 / 0.01 is 28.999999999999996 in float64; a naive floor would give 0.28.
    expect(roundToTick(0.29, 0.01, 'down')).toBe(0.29);
    expect(roundToTick(0.3, 0.1, 'up')).toBe(0.3);
    expect(roundToTick(1.1, 0.1, 'down')).toBe(1.1);
    expect(roundToTick(60123.45, 0.01, 'up')).toBe(60123.45);
  });

  it.each([
    [100.123, 0.05, 'down', 100.1],
    [100.123, 0.05, 'up', 100.15],
    [100.123, 0.05, 'nearest', 100.1],
    [100.13, 0.05, 'nearest', 100.15],
    [0.000123456, 1e-8, 'down', 0.00012345],
    [0.000123456, 1e-8, 'up', 0.00012346],
    [1.234, 2.5e-7, 'down', 1.234],
    [1234.56, 10, 'down', 1230],
    [1234.56, 10, 'up', 1240],
    [99.99, 0.5, 'nearest', 100],
  ] as const)('rounds %s to tick %s %s → %s', (price, tick, mode, expected) => {
    expect(roundToTick(price, tick, mode)).toBe(expected);
  });

  it('returns the double nearest to the decimal result, not an accumulated product', () => {
    // 3 × 0.1 in float64 is 0.30000000000000004; the tick grid value must be the literal 0.3.
    expect(roundToTick(0.30000000000000004, 0.1, 'down')).toBe(0.3);
    expect(roundToTick(0.7, 0.1, 'nearest')).toBe(0.7);
  });

  it('refuses a tick that is not positive and a price that is not finite', () => {
    expect(() => roundToTick(1, 0, 'down')).toThrow('increment must be a positive number');
    expect(() => roundToTick(Number.NaN, 0.1, 'down')).toThrow('not a finite number');
  });
});

describe('roundQuantity', () => {
  it('always rounds down, so an order never trades more than asked', () => {
    expect(roundQuantity(0.123456789, 0.001)).toBe(0.123);
    expect(roundQuantity(0.9999, 0.001)).toBe(0.999);
    expect(roundQuantity(0.0009, 0.001)).toBe(0);
  });

  it('keeps quantities already on the step', () => {
    expect(roundQuantity(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(roundQuantity(0.07, 0.01)).toBe(0.07);
  });
});

describe('decimalsOf and isMultipleOf', () => {
  it.each([
    [1, 0],
    [0.1, 1],
    [0.05, 2],
    [1e-8, 8],
    [2.5e-7, 8],
  ])('counts the decimals of %s as %s', (increment, decimals) => {
    expect(decimalsOf(increment)).toBe(decimals);
  });

  it('accepts float sums of steps and refuses real remainders', () => {
    expect(isMultipleOf(0.1 + 0.2, 0.1)).toBe(true);
    expect(isMultipleOf(0.35, 0.1)).toBe(false);
    expect(roundToIncrement(-0.0000001, 0.1, 'nearest')).toBe(0);
  });
});

const BTC: Instrument = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 10,
};

describe('checkOrderFilters', () => {
  it('passes an order on the grid above the minimums', () => {
    expect(checkOrderFilters(BTC, 0.002, 30000)).toBeNull();
  });

  it.each([
    [0.0005, 30000, 'not a multiple of the step size 0.001'],
    [0.0015, 30000, 'not a multiple of the step size'],
    [0.001, 9000, 'notional 9 (0.001 × 9000) is below the minimum notional 10 USDT for BTC/USDT'],
    [0.002, 30000.005, 'not a multiple of the tick size 0.01'],
    [0, 30000, 'quantity must be positive'],
    [0.002, -1, 'price must be positive'],
  ])('refuses quantity %s at %s: %s', (quantity, price, reason) => {
    expect(checkOrderFilters(BTC, quantity, price)).toContain(reason);
  });

  it('refuses a quantity below minQty', () => {
    const instrument = { ...BTC, minQty: 0.01 };

    expect(checkOrderFilters(instrument, 0.005, 30000)).toContain('below the minimum quantity 0.01');
  });

  it('skips the notional check when no price is known', () => {
    expect(checkOrderFilters(BTC, 0.001, null)).toBeNull();
  });
});

describe('parseSymbol', () => {
  it.each([
    ['BTC/USDT', 'BTC', 'USDT'],
    ['BTC/USDT:USDT', 'BTC', 'USDT'],
    ['eth-usd', 'ETH', 'USD'],
    ['BTCUSDT', 'BTC', 'USDT'],
    ['SOLUSDC', 'SOL', 'USDC'],
    ['BTCUSD', 'BTC', 'USD'],
    ['EURUSD', 'EUR', 'USD'],
    ['XRPETH', 'XRP', 'ETH'],
    ['ETHBTC', 'ETH', 'BTC'],
    ['BTCEUR', 'BTC', 'EUR'],
  ])('splits %s into %s and %s', (symbol, base, quote) => {
    expect(parseSymbol(symbol)).toEqual({ base, quote });
  });

  it.each(['GOOG', 'USDT', 'A/B/C', '/USDT', ''])('refuses %j and says how to write it', (symbol) => {
    expect(() => parseSymbol(symbol)).toThrow('write it as BASE/QUOTE');
  });
});

describe('inferInstrument', () => {
  it('takes the finest decimal increment seen in the prices as the tick', () => {
    const instrument = inferInstrument('BTC/USDT', [100, 100.5, 100.25, 99.125]);

    expect(instrument).toEqual({
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      tickSize: 0.001,
      stepSize: 1e-8,
      minQty: 0,
      minNotional: 0,
    });
  });

  it('does not mistake float noise for decimals and never goes finer than 1e-8', () => {
    expect(inferInstrument('X/USD', new Float64Array([0.1 + 0.2, 1])).tickSize).toBe(0.1);
    expect(inferInstrument('X/BTC', [0.000000012345]).tickSize).toBe(1e-8);
    expect(inferInstrument('X/USD', [100, 250]).tickSize).toBe(1);
  });

  it('refuses an empty sample and non-positive prices', () => {
    expect(() => inferInstrument('X/USD', [])).toThrow('no prices given');
    expect(() => inferInstrument('X/USD', [1, 0])).toThrow('price at index 1 is 0');
  });
});

const dataDir = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const hasData = existsSync(dataDir);
if (!hasData) console.warn(`instrument.test: skipping reference-data tests, ${dataDir} is absent`);

function csvPrices(file: string): number[] {
  const lines = readFileSync(`${dataDir}${file}`, 'utf8').trim().split('\n').slice(1);
  return lines.flatMap((line) => line.split(',').slice(1, 5).map(Number));
}

describe.skipIf(!hasData)('inferInstrument on reference data', () => {
  it.each([
    ['EURUSD.csv', 'EUR/USD', 0.00001],
    ['GOOG.csv', 'GOOG/USD', 0.01],
    ['UNITTEST_BTC-1m.csv', 'ALT/BTC', 1e-8],
  ])('infers a tick from %s on which every price lies', (file, symbol, tick) => {
    const prices = csvPrices(file);

    const instrument = inferInstrument(symbol, prices);

    expect(instrument.tickSize).toBe(tick);
    expect(prices.every((p) => roundToTick(p, instrument.tickSize, 'nearest') === p)).toBe(true);
  });
});
