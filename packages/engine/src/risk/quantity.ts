// Exchange-precision helpers for quantities: round down to the step size and check the symbol's minimums.
import type { Instrument } from '../types';

/** Rounds a quantity DOWN to a multiple of `stepSize`, tolerant of float noise (0.3 / 0.1 is 2.9999…). */
export function floorToStep(quantity: number, stepSize: number): number {
  if (!(stepSize > 0)) return quantity;
  const steps = Math.floor(quantity / stepSize + 1e-9);
  const decimals = stepDecimals(stepSize);
  return Number((steps * stepSize).toFixed(decimals));
}

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

function stepDecimals(stepSize: number): number {
  // Enough decimals to represent the step exactly (1e-8 → 8, 0.25 → 2), capped at what toFixed accepts.
  for (let decimals = 0; decimals <= 15; decimals++) {
    if (Math.abs(Math.round(stepSize * 10 ** decimals) - stepSize * 10 ** decimals) < 1e-9) return decimals;
  }
  return 15;
}

function round(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
