// The rolling extreme against a brute-force max/min of each window, over random series and periods.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingExtreme } from './rolling-extreme';

function bruteForce(values: readonly number[], period: number, kind: 'max' | 'min'): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - period + 1), i + 1);
    return kind === 'max' ? Math.max(...window) : Math.min(...window);
  });
}

describe('RollingExtreme', () => {
  it('equals the brute-force extreme of every window, falling and rising runs included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('max' as const, 'min' as const),
        (values, period, kind) => {
          const extreme = new RollingExtreme(period, kind);

          const actual = values.map((x) => {
            extreme.push(x);
            return extreme.value;
          });

          expect(actual).toEqual(bruteForce(values, period, kind));
        },
      ),
    );
  });

  it('keeps a full window of strictly falling values for the maximum', () => {
    const extreme = new RollingExtreme(3, 'max');

    const actual = [9, 8, 7, 6, 5].map((x) => {
      extreme.push(x);
      return extreme.value;
    });

    expect(actual).toEqual([9, 9, 9, 8, 7]);
  });

  it('refuses a snapshot whose deque is larger than its window', () => {
    const extreme = new RollingExtreme(2, 'max');

    expect(() => extreme.restore({ values: [3, 2, 1], indices: [0, 1, 2], count: 3 }, 'highest')).toThrow(
      /does not fit a window of 2/,
    );
  });
});
