import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { divideNode } from './divide.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

describe('divide', () => {
  it('divides a by b', () => {
    expect(
      firstOutputs(divideNode, {}, [
        [10, 4],
        [-9, 3],
      ]),
    ).toEqual([2.5, -3]);
  });

  it('outputs null on bars where b is zero, including 0 / 0 and -0', () => {
    expect(
      firstOutputs(divideNode, {}, [
        [1, 0],
        [0, 0],
        [5, -0],
      ]),
    ).toEqual([null, null, null]);
  });

  it('recovers on the next bar after a division by zero', () => {
    expect(
      firstOutputs(divideNode, {}, [
        [1, 0],
        [1, 2],
      ]),
    ).toEqual([null, 0.5]);
  });
});

runIndicatorContract(divideNode, [{ name: 'random walks', rows: numberPairRows() }]);
