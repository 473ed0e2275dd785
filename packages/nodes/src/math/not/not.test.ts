import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { notNode } from './not.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { booleanRows } from '../series-fixtures';

describe('not', () => {
  it('inverts its input', () => {
    expect(firstOutputs(notNode, {}, [[true], [false]])).toEqual([false, true]);
  });
});

runIndicatorContract(notNode, [{ name: 'random walks', rows: booleanRows() }]);
