import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { maxNode } from './max.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

describe('max', () => {
  it('outputs the larger input whichever side it is on', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        const [, larger] = [a, b].sort((x, y) => x - y);
        expect(firstOutputs(maxNode, {}, [[a, b]])).toEqual([larger]);
      }),
    );
  });
});

runIndicatorContract(maxNode, [{ name: 'random walks', rows: numberPairRows() }]);
