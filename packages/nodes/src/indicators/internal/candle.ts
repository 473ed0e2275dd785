// Per-bar price formulas shared by the OHLC indicators.
import type { Bar } from '@candleflow/strategy-dsl';

/** (high + low + close) / 3. */
export function typicalPrice(bar: Bar): number {
  return (bar.high + bar.low + bar.close) / 3;
}

/** Wilder's true range; without a previous close (the first bar) it is high − low. */
export function trueRange(bar: Bar, previousClose: number): number {
  const range = bar.high - bar.low;
  if (Number.isNaN(previousClose)) return range;
  return Math.max(range, Math.abs(bar.high - previousClose), Math.abs(bar.low - previousClose));
}
