// Compares an indicator's output with reference values bar by bar, and proves the comparison can fail.
import { expect } from 'vitest';

export interface CloseOptions {
  /** First index compared (the end of the documented convergence window). */
  readonly from: number;
  /** Relative tolerance. */
  readonly rtol: number;
  /** Absolute tolerance for values near zero (default 1e-12). */
  readonly atol?: number;
  /**
   * Also check that the same comparison shifted by one bar fails, so an off-by-one in the node would be
   * caught (default true; turn off only for series that are constant over the compared range).
   */
  readonly discriminates?: boolean;
}

function mismatch(
  actual: readonly (number | null)[],
  expected: readonly (number | null | undefined)[],
  from: number,
  rtol: number,
  atol: number,
  shift: number,
): string | null {
  for (let i = from; i < expected.length; i++) {
    const e = expected[i - shift];
    const a = actual[i];
    if (e === undefined || e === null) return `index ${i}: reference has no value (${e})`;
    if (a === null || a === undefined) return `index ${i}: node output is ${a}, reference ${e}`;
    if (Math.abs(a - e) > rtol * Math.abs(e) + atol) return `index ${i}: node ${a}, reference ${e}`;
  }
  return null;
}

export function expectCloseSeries(
  actual: readonly (number | null)[],
  expected: readonly (number | null | undefined)[],
  options: CloseOptions,
): void {
  const { from, rtol, atol = 1e-12, discriminates = true } = options;
  expect(expected.length, 'reference and node series differ in length').toBe(actual.length);
  expect(expected.length - from, 'nothing left to compare after the convergence window').toBeGreaterThan(10);
  expect(mismatch(actual, expected, from, rtol, atol, 0)).toBeNull();
  if (discriminates) {
    expect(
      mismatch(actual, expected, from + 1, rtol, atol, 1),
      'a one-bar shift of the reference still matches: this comparison could not catch an off-by-one',
    ).not.toBeNull();
  }
}

/** Index of the first non-null value (the observed warm-up). */
export const firstValueIndex = (series: readonly unknown[]): number =>
  series.findIndex((v) => v !== null && v !== undefined);

/** Aligns a batch result (which omits warm-up values) with the input: leading nulls, last value last. */
export function alignEnd<T>(values: readonly T[], length: number): (T | null)[] {
  if (values.length > length) throw new Error(`reference has ${values.length} values for ${length} inputs`);
  return [...new Array<null>(length - values.length).fill(null), ...values];
}
