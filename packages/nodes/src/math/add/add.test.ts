import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { addNode } from './add.node.ts';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { numberPairRows } from '../series-fixtures';

describe('add', () => {
  it('adds a and b on every bar', () => {
    const outputs = firstOutputs(addNode, {}, [
      [1, 2],
      [-3, 0.5],
      [0, 0],
    ]);
    expect(outputs).toEqual([3, -2.5, 0]);
  });

  it('matches a + b for any finite operands', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        (a, b) => {
          expect(firstOutputs(addNode, {}, [[a, b]])).toEqual([a + b]);
        },
      ),
    );
  });

  it('outputs null instead of Infinity when the sum overflows', () => {
    expect(firstOutputs(addNode, {}, [[Number.MAX_VALUE, Number.MAX_VALUE]])).toEqual([null]);
  });

  it('outputs null on bars where an input is missing, like the kernel', () => {
    expect(
      firstOutputs(addNode, {}, [
        [null, 1],
        [1, 1],
      ]),
    ).toEqual([null, 2]);
  });
});

runIndicatorContract(addNode, [{ name: 'random walks', rows: numberPairRows() }]);
