// Exchange precision for one symbol: rounding prices to the tick and quantities to the step without
// float drift, the symbol filters an order must pass, and instruments inferred from candle data.
import type { Instrument, Symbol as SymbolId } from '../types';

export type RoundingMode = 'down' | 'up' | 'nearest';

/** Finest increment Candleflow models (1 satoshi); also the default step size. */
export const MIN_INCREMENT = 1e-8;

/** Number of decimals in an increment such as 0.001 or 2.5e-7 (at most 20). */
export function decimalsOf(increment: number): number {
  const text = increment.toString();
  const exp = text.indexOf('e-');
  if (exp >= 0) {
    const mantissa = text.slice(0, exp);
    const dot = mantissa.indexOf('.');
    const fraction = dot >= 0 ? mantissa.length - dot - 1 : 0;
    return Math.min(20, Number(text.slice(exp + 2)) + fraction);
  }
  const dot = text.indexOf('.');
  return dot >= 0 ? Math.min(20, text.length - dot - 1) : 0;
}

/**
 * Rounds `value` to a multiple of `increment`. Works in whole increments: value/increment is snapped to an
 * integer (a relative epsilon absorbs float noise, so 0.3/0.1 counts as exactly 3) and converted back as
 * integer / 10^decimals, which yields the double nearest to the decimal result (0.1 + 0.2 → 0.3, not
 * 0.30000000000000004).
 */
export function roundToIncrement(value: number, increment: number, mode: RoundingMode): number {
  if (!(Number.isFinite(increment) && increment > 0)) {
    throw new RangeError(`increment must be a positive number, got ${increment}`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}: not a finite number`);
  const decimals = decimalsOf(increment);
  const scale = 10 ** decimals;
  // The increment in units of 10^-decimals is an integer (0.05 → 5 at scale 100).
  const units = Math.round(increment * scale);
  const steps = (value * scale) / units;
  const eps = 1e-9 + Math.abs(steps) * 1e-12;
  const nearest = Math.round(steps);
  let n: number;
  if (Math.abs(steps - nearest) <= eps) n = nearest;
  else if (mode === 'down') n = Math.floor(steps);
  else if (mode === 'up') n = Math.ceil(steps);
  else n = nearest;
  const result = (n * units) / scale;
  return result === 0 ? 0 : result; // no -0
}

export function roundToTick(price: number, tickSize: number, mode: RoundingMode): number {
  return roundToIncrement(price, tickSize, mode);
}

/** Quantities always round down: an order never buys or sells more than was asked. */
export function roundQuantity(quantity: number, stepSize: number): number {
  return roundToIncrement(quantity, stepSize, 'down');
}

/** True when `value` is a whole multiple of `increment` (up to float noise). */
export function isMultipleOf(value: number, increment: number): boolean {
  const snapped = roundToIncrement(value, increment, 'nearest');
  return Math.abs(snapped - value) <= increment * 1e-9 + Math.abs(value) * 1e-12;
}

/**
 * Why an order of `quantity` at `price` breaks the symbol's filters, or null when it passes. `price` is the
 * limit or trigger price, or a reference price for market orders (null skips the notional check).
 */
export function checkOrderFilters(
  instrument: Instrument,
  quantity: number,
  price: number | null,
): string | null {
  const s = instrument.symbol;
  if (!(Number.isFinite(quantity) && quantity > 0)) {
    return `quantity must be positive, got ${quantity} for ${s}`;
  }
  if (!isMultipleOf(quantity, instrument.stepSize)) {
    return `quantity ${quantity} is not a multiple of the step size ${instrument.stepSize} for ${s}; round it down with roundQuantity`;
  }
  if (quantity < instrument.minQty) {
    return `quantity ${quantity} is below the minimum quantity ${instrument.minQty} for ${s}`;
  }
  if (price !== null) {
    if (!(Number.isFinite(price) && price > 0)) return `price must be positive, got ${price} for ${s}`;
    if (!isMultipleOf(price, instrument.tickSize)) {
      return `price ${price} is not a multiple of the tick size ${instrument.tickSize} for ${s}; round it with roundToTick`;
    }
    const notional = quantity * price;
    if (notional < instrument.minNotional) {
      return `notional ${notional} (${quantity} × ${price}) is below the minimum notional ${instrument.minNotional} ${instrument.quote} for ${s}`;
    }
  }
  return null;
}

/** Quote currencies recognised at the end of a symbol written without a separator, longest match first. */
export const KNOWN_QUOTES = ['USDT', 'USDC', 'USD', 'BTC', 'ETH', 'EUR'] as const;

/**
 * Base and quote of "BASE/QUOTE" (also "BASE-QUOTE", "BASE_QUOTE", ccxt's "BASE/QUOTE:SETTLE") or of
 * "BASEQUOTE" when it ends in one of KNOWN_QUOTES. Throws when the split is not evident.
 */
export function parseSymbol(symbol: string): { base: string; quote: string } {
  const trimmed = symbol.trim().toUpperCase();
  const withoutSettle = trimmed.split(':')[0] ?? '';
  const parts = withoutSettle.split(/[/\-_]/);
  if (parts.length === 2 && parts[0] && parts[1]) return { base: parts[0], quote: parts[1] };
  if (parts.length === 1 && withoutSettle.length > 0) {
    for (const quote of KNOWN_QUOTES) {
      if (withoutSettle.length > quote.length && withoutSettle.endsWith(quote)) {
        return { base: withoutSettle.slice(0, -quote.length), quote };
      }
    }
  }
  throw new RangeError(
    `cannot tell the base and quote currency of symbol "${symbol}"; write it as BASE/QUOTE, e.g. BTC/USDT or GOOG/USD`,
  );
}

/** Smallest number of decimals (0..8) that represents `price` up to float noise. */
function priceDecimals(price: number): number {
  for (let d = 0; d < 8; d++) {
    const scaled = price * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= Math.abs(scaled) * 1e-12 + 1e-9) return d;
  }
  return 8;
}

/**
 * An instrument for data without exchange metadata (CSV imports). tickSize is the finest decimal increment
 * among `prices` (never finer than 1e-8), so every price in the sample lies on the tick; stepSize is 1e-8;
 * minQty and minNotional are 0 because the data cannot tell them: pass real exchange filters when known.
 */
export function inferInstrument(symbol: string, prices: ArrayLike<number>): Instrument {
  const { base, quote } = parseSymbol(symbol);
  let decimals = -1;
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i] as number;
    if (!(Number.isFinite(p) && p > 0)) {
      throw new RangeError(
        `inferInstrument(${symbol}): price at index ${i} is ${p}; prices must be positive numbers`,
      );
    }
    const d = priceDecimals(p);
    if (d > decimals) decimals = d;
    if (decimals === 8) break;
  }
  if (decimals < 0) {
    throw new RangeError(`inferInstrument(${symbol}): no prices given, cannot infer the tick size`);
  }
  return {
    symbol: symbol as SymbolId,
    base,
    quote,
    tickSize: decimals === 0 ? 1 : Number(`1e-${decimals}`),
    stepSize: MIN_INCREMENT,
    minQty: 0,
    minNotional: 0,
  };
}
