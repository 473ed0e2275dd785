// The symbol's minimums for a quantity (rounding to the step size is exchange/instrument.ts's roundQuantity).
import type { Instrument } from '../types';

/** Why a quantity is too small to trade on this instrument, or null when it is tradable. */
export function belowMinimum(quantity: number, price: number, instrument: Instrument): string | null {
  if (quantity <= 0) return 'quantity rounds to 0 at the step size ' + instrument.stepSize;
  if (quantity < instrument.minQty) {
    return `quantity ${quantity} is below the minimum quantity ${instrument.minQty} of ${instrument.symbol}`;
  }
  if (quantity * price < instrument.minNotional) {
    return `notional ${round(quantity * price)} is below the minimum notional ${instrument.minNotional} of ${instrument.symbol}`;
  }
  return null;
}

function round(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
