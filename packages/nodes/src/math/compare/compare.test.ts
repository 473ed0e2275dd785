import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { compareNode } from './compare.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

// a below, equal to and above b = 2.
const rows = [
  [1, 2],
  [2, 2],
  [3, 2],
];

describe('compare', () => {
  it('defaults to a > b', () => {
    expect(compareNode.params.parse({})).toEqual({ op: '>' });
    expect(firstOutputs(compareNode, {}, rows)).toEqual([false, false, true]);
  });

  it.each([
    ['<', [true, false, false]],
    ['>=', [false, true, true]],
    ['<=', [true, true, false]],
  ])('applies %s including the equal case', (op, expected) => {
    expect(firstOutputs(compareNode, { op }, rows)).toEqual(expected);
  });

  it('rejects an operator it does not know', () => {
    expect(() => compareNode.params.parse({ op: '==' })).toThrow();
  });
});

runIndicatorContract(compareNode, [
  { name: 'two random walks, a > b', rows: numberPairRows() },
  { name: 'two random walks, a <= b', params: { op: '<=' }, rows: numberPairRows() },
]);
