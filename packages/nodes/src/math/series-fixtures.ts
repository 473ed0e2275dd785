// Test inputs for the shared node contract: deterministic random walks (from test-support) shaped into
// the rows the math and logic nodes take. Walks start together, so they cross each other often.
import type { Value } from '@candleflow/strategy-dsl';
import { closes, syntheticBars } from '../test-support/market-data';

const LENGTH = 80;

const walk = (seed: number): number[] => closes(syntheticBars(LENGTH, seed));

/** One number input per row (all positive). */
export function numberRows(): Value[][] {
  return walk(3).map((value) => [value]);
}

/** Two number inputs per row (all positive, so they can also be divided). */
export function numberPairRows(): Value[][] {
  const b = walk(2);
  return walk(1).map((a, i) => [a, b[i] as number]);
}

/** One boolean input per row: whether the walk is above where it started. */
export function booleanRows(): Value[][] {
  return walk(4).map((value) => [value > 100]);
}

/** Two boolean inputs per row. */
export function booleanPairRows(): Value[][] {
  const b = walk(5);
  return walk(4).map((a, i) => [a > 100, (b[i] as number) > 100]);
}
