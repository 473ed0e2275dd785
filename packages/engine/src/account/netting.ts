// Position netting: how one fill changes a signed position and its average entry price. Account and
// TradeTracker both go through this one function so their books can never disagree.

import type { Instrument, Side } from '../types';

export interface Netting {
  /** Signed position after the fill (buy > 0). Exactly 0 when within the flat tolerance. */
  readonly quantity: number;
  /** Average entry price of what remains (0 when flat). */
  readonly entryPrice: number;
  /** Part of the fill that reduced the existing position. */
  readonly closedQuantity: number;
  /** Part of the fill that opened or added to a position (after a flip: the new side). */
  readonly openedQuantity: number;
  /** Gross price profit realised by the closed part, before fees: closed × (price − entry) × direction. */
  readonly realisedPnl: number;
  /** True when the fill reduced past zero and opened the opposite side. */
  readonly flipped: boolean;
}

/**
 * Below half a step a quantity is rounding dust, not a position: with quantities rounded to the step
 * size by the exchange, anything smaller can only come from float error.
 */
export function flatTolerance(instrument: Pick<Instrument, 'stepSize'>): number {
  return instrument.stepSize > 0 ? instrument.stepSize / 2 : 1e-12;
}

/** Applies a fill of `fillQuantity` (> 0) at `price` to a signed position, with average-cost accounting. */
export function netFill(
  quantity: number,
  entryPrice: number,
  side: Side,
  fillQuantity: number,
  price: number,
  tolerance: number,
): Netting {
  const fillSign = side === 'buy' ? 1 : -1;
  const held = Math.abs(quantity) < tolerance ? 0 : quantity;

  if (held === 0 || Math.sign(held) === fillSign) {
    const size = Math.abs(held) + fillQuantity;
    return {
      quantity: fillSign * size,
      entryPrice: (Math.abs(held) * entryPrice + fillQuantity * price) / size,
      closedQuantity: 0,
      openedQuantity: fillQuantity,
      realisedPnl: 0,
      flipped: false,
    };
  }

  const direction = Math.sign(held);
  const closable = Math.abs(held);
  if (fillQuantity < closable - tolerance) {
    return {
      quantity: held + fillSign * fillQuantity,
      entryPrice,
      closedQuantity: fillQuantity,
      openedQuantity: 0,
      realisedPnl: direction * fillQuantity * (price - entryPrice),
      flipped: false,
    };
  }
  if (fillQuantity <= closable + tolerance) {
    // A full close: the fill's own quantity is what changed hands, so it is what realises profit.
    return {
      quantity: 0,
      entryPrice: 0,
      closedQuantity: fillQuantity,
      openedQuantity: 0,
      realisedPnl: direction * fillQuantity * (price - entryPrice),
      flipped: false,
    };
  }
  const opened = fillQuantity - closable;
  return {
    quantity: fillSign * opened,
    entryPrice: price,
    closedQuantity: closable,
    openedQuantity: opened,
    realisedPnl: direction * closable * (price - entryPrice),
    flipped: true,
  };
}
