import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { orNode } from './or.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { booleanPairRows } from '../series-fixtures';

describe('or', () => {
  it('is true when either input is true', () => {
    const rows = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ];
    expect(firstOutputs(orNode, {}, rows)).toEqual([false, true, true, true]);
  });
});

runIndicatorContract(orNode, [{ name: 'random walks', rows: booleanPairRows() }]);
