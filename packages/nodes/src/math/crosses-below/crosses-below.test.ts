import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNode, firstOutputs, runWithRestart } from '../kernel-feed';
import { crossesBelowNode } from './crosses-below.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

const level = (values: number[], b: number) => values.map((a) => [a, b]);

describe('crosses_below', () => {
  it('is false on the first bar even when a starts below b', () => {
    expect(firstOutputs(crossesBelowNode, {}, [[1, 5]])).toEqual([false]);
    expect(crossesBelowNode.warmup({})).toBe(1);
  });

  it('is true only on the bar where a moves from above b to below it', () => {
    expect(firstOutputs(crossesBelowNode, {}, level([3, 1, 0, 3, 1], 2))).toEqual([
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('does not fire on touching b, and fires when a leaves the touch downwards', () => {
    expect(firstOutputs(crossesBelowNode, {}, level([3, 2, 1], 2))).toEqual([false, false, true]);
  });

  it('does not fire when a rises through b', () => {
    expect(firstOutputs(crossesBelowNode, {}, level([1, 3], 2))).toEqual([false, false]);
  });

  it('agrees with a direct reading of the definition on any series', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(pairs, (rows) => {
        const expected = rows.map(([a, b], i) => {
          const previous = rows[i - 1];
          return previous !== undefined && previous[0] >= previous[1] && a < b;
        });
        expect(firstOutputs(crossesBelowNode, {}, rows)).toEqual(expected);
      }),
    );
  });

  it('gives the same outputs after a restart from a JSON snapshot', () => {
    const rows = level([3, 2, 1, 3, 1, 0], 2);
    for (let cut = 0; cut <= rows.length; cut++) {
      const { straight, restarted } = runWithRestart(crossesBelowNode, {}, rows, cut);
      expect(restarted).toEqual(straight);
    }
  });

  it('refuses a snapshot that is not an object', () => {
    expect(() => createNode(crossesBelowNode).restore('3')).toThrow(/crosses_below: cannot restore/);
  });
});

runIndicatorContract(crossesBelowNode, [
  // The first bar already outputs false ("no cross seen"), so values start at step 0; warmup(1) only
  // tells the planner that a cross can first be known on the second bar.
  { name: 'two crossing random walks', rows: numberPairRows(), expectedWarmup: 0 },
]);
