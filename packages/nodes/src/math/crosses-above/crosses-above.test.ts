import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNode, firstOutputs, runWithRestart } from '../kernel-feed';
import { crossesAboveNode } from './crosses-above.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

const level = (values: number[], b: number) => values.map((a) => [a, b]);

describe('crosses_above', () => {
  it('is false on the first bar even when a starts above b', () => {
    expect(firstOutputs(crossesAboveNode, {}, [[5, 1]])).toEqual([false]);
    expect(crossesAboveNode.warmup({})).toBe(1);
  });

  it('is true only on the bar where a moves from below b to above it', () => {
    expect(firstOutputs(crossesAboveNode, {}, level([1, 3, 4, 1, 3], 2))).toEqual([
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('does not fire on touching b, and fires when a leaves the touch upwards', () => {
    expect(firstOutputs(crossesAboveNode, {}, level([1, 2, 3], 2))).toEqual([false, false, true]);
  });

  it('fires again after a dips to touch b from above and rises', () => {
    expect(firstOutputs(crossesAboveNode, {}, level([3, 2, 3], 2))).toEqual([false, false, true]);
  });

  it('does not fire when a falls through b', () => {
    expect(firstOutputs(crossesAboveNode, {}, level([3, 1], 2))).toEqual([false, false]);
  });

  it('works with a moving b (fast average crossing a slow one)', () => {
    const rows = [
      [10, 11],
      [11, 11.5],
      [12, 11.8],
    ];
    expect(firstOutputs(crossesAboveNode, {}, rows)).toEqual([false, false, true]);
  });

  it('compares with the last bar it saw when bars with missing inputs come between', () => {
    expect(
      firstOutputs(crossesAboveNode, {}, [
        [1, 2],
        [null, 2],
        [3, 2],
      ]),
    ).toEqual([false, null, true]);
  });

  it('agrees with a direct reading of the definition on any series', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(pairs, (rows) => {
        const expected = rows.map(([a, b], i) => {
          const previous = rows[i - 1];
          return previous !== undefined && previous[0] <= previous[1] && a > b;
        });
        expect(firstOutputs(crossesAboveNode, {}, rows)).toEqual(expected);
      }),
    );
  });

  it('gives the same outputs after a restart from a JSON snapshot at any bar', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(pairs, fc.nat(), (rows, cut) => {
        const { straight, restarted } = runWithRestart(crossesAboveNode, {}, rows, cut % (rows.length + 1));
        expect(restarted).toEqual(straight);
      }),
    );
  });

  it('refuses a snapshot of another shape, saying what it expected', () => {
    const evaluator = createNode(crossesAboveNode);
    expect(() => evaluator.restore({ previous: 1 })).toThrow(/crosses_above: cannot restore.*previousA/);
  });
});

runIndicatorContract(crossesAboveNode, [
  // The first bar already outputs false ("no cross seen"), so values start at step 0; warmup(1) only
  // tells the planner that a cross can first be known on the second bar.
  { name: 'two crossing random walks', rows: numberPairRows(), expectedWarmup: 0 },
]);
