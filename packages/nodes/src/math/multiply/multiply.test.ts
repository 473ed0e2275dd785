import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { multiplyNode } from './multiply.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

describe('multiply', () => {
  it('multiplies a by b on every bar', () => {
    expect(
      firstOutputs(multiplyNode, {}, [
        [2.5, 4],
        [-3, 2],
        [7, 0],
      ]),
    ).toEqual([10, -6, 0]);
  });

  it('outputs null instead of Infinity when the product overflows', () => {
    expect(firstOutputs(multiplyNode, {}, [[1e200, 1e200]])).toEqual([null]);
  });
});

runIndicatorContract(multiplyNode, [{ name: 'random walks', rows: numberPairRows() }]);
