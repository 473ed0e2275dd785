import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { andNode } from './and.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { booleanPairRows } from '../series-fixtures';

describe('and', () => {
  it('is true only when both inputs are true', () => {
    const rows = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ];
    expect(firstOutputs(andNode, {}, rows)).toEqual([false, false, false, true]);
  });
});

runIndicatorContract(andNode, [{ name: 'random walks', rows: booleanPairRows() }]);
