import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { minNode } from './min.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

describe('min', () => {
  it('outputs the smaller input whichever side it is on', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        const [smaller] = [a, b].sort((x, y) => x - y);
        expect(firstOutputs(minNode, {}, [[a, b]])).toEqual([smaller]);
      }),
    );
  });
});

runIndicatorContract(minNode, [{ name: 'random walks', rows: numberPairRows() }]);
