import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNode, firstOutputs, runWithRestart } from '../kernel-feed';
import { risingNode } from './rising.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberRows } from '../series-fixtures';

const series = (values: number[]) => values.map((value) => [value]);

/** Independent reading of the definition: each of the last n steps went strictly up. */
function risingReference(values: number[], n: number): (boolean | null)[] {
  return values.map((_, i) => {
    if (i < n) return null;
    for (let k = i - n + 1; k <= i; k++) {
      if (!((values[k] as number) > (values[k - 1] as number))) return false;
    }
    return true;
  });
}

describe('rising', () => {
  it('outputs nothing for the first n bars, then whether the last n steps went up', () => {
    expect(risingNode.warmup({ bars: 3 })).toBe(3);
    expect(firstOutputs(risingNode, { bars: 3 }, series([1, 2, 3, 4, 5]))).toEqual([
      null,
      null,
      null,
      true,
      true,
    ]);
  });

  it('defaults to 3 bars', () => {
    expect(risingNode.params.parse({})).toEqual({ bars: 3 });
  });

  it('is broken by a flat bar: equal values are not a rise', () => {
    expect(firstOutputs(risingNode, { bars: 2 }, series([1, 2, 2, 3, 4]))).toEqual([
      null,
      null,
      false,
      false,
      true,
    ]);
  });

  it('is false for a falling series', () => {
    expect(firstOutputs(risingNode, { bars: 1 }, series([3, 2, 1]))).toEqual([null, false, false]);
  });

  it('agrees with a direct reading of the definition on any series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (values, bars) => {
          expect(firstOutputs(risingNode, { bars }, series(values))).toEqual(risingReference(values, bars));
        },
      ),
    );
  });

  it('gives the same outputs after a restart from a JSON snapshot at any bar', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (values, cut) => {
          const rows = series(values);
          const { straight, restarted } = runWithRestart(
            risingNode,
            { bars: 2 },
            rows,
            cut % (rows.length + 1),
          );
          expect(restarted).toEqual(straight);
        },
      ),
    );
  });

  it('rejects zero or fractional bar counts', () => {
    expect(() => risingNode.params.parse({ bars: 0 })).toThrow();
    expect(() => risingNode.params.parse({ bars: 1.5 })).toThrow();
  });

  it('refuses a snapshot with a negative streak', () => {
    expect(() => createNode(risingNode).restore({ previous: 1, streak: -1, seen: 2 })).toThrow(
      /rising: cannot restore/,
    );
  });
});

runIndicatorContract(risingNode, [
  { name: 'a random walk, default bars', rows: numberRows() },
  { name: 'a random walk, 1 bar', params: { bars: 1 }, rows: numberRows() },
]);
