import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstOutputs, runWithRestart } from '../kernel-feed';
import { risingNode } from '../rising/rising.node.ts';
import { fallingNode } from './falling.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberRows } from '../series-fixtures';

const series = (values: number[]) => values.map((value) => [value]);

describe('falling', () => {
  it('outputs nothing for the first n bars, then whether the last n steps went down', () => {
    expect(fallingNode.warmup({ bars: 2 })).toBe(2);
    expect(firstOutputs(fallingNode, { bars: 2 }, series([5, 4, 3, 4, 3, 2]))).toEqual([
      null,
      null,
      true,
      false,
      false,
      true,
    ]);
  });

  it('is broken by a flat bar: equal values are not a fall', () => {
    expect(firstOutputs(fallingNode, { bars: 1 }, series([3, 3, 2]))).toEqual([null, false, true]);
  });

  it('is the mirror image of rising: falling(x) equals rising(-x)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 30 }), (values) => {
        const mirrored = values.map((value) => -value);
        expect(firstOutputs(fallingNode, { bars: 2 }, series(values))).toEqual(
          firstOutputs(risingNode, { bars: 2 }, series(mirrored)),
        );
      }),
    );
  });

  it('gives the same outputs after a restart from a JSON snapshot', () => {
    const rows = series([5, 4, 3, 3, 2, 1, 0]);
    for (let cut = 0; cut <= rows.length; cut++) {
      const { straight, restarted } = runWithRestart(fallingNode, { bars: 3 }, rows, cut);
      expect(restarted).toEqual(straight);
    }
  });
});

runIndicatorContract(fallingNode, [
  { name: 'a random walk, default bars', rows: numberRows() },
  { name: 'a random walk, 1 bar', params: { bars: 1 }, rows: numberRows() },
]);
