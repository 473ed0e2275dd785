import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { subtractNode } from './subtract.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

describe('subtract', () => {
  it('subtracts b from a, not a from b', () => {
    expect(
      firstOutputs(subtractNode, {}, [
        [10, 4],
        [4, 10],
        [-1, -1],
      ]),
    ).toEqual([6, -6, 0]);
  });
});

runIndicatorContract(subtractNode, [{ name: 'random walks', rows: numberPairRows() }]);
