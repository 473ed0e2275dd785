import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { absNode } from './abs.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberRows } from '../series-fixtures';

describe('abs', () => {
  it('drops the sign of negative values and keeps positive ones', () => {
    expect(firstOutputs(absNode, {}, [[-2.5], [3], [0]])).toEqual([2.5, 3, 0]);
  });
});

runIndicatorContract(absNode, [{ name: 'random walks', rows: numberRows() }]);
