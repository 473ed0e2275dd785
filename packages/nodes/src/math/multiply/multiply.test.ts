import { describe, expect, it } from 'vitest';
import { runNode } from '../run-node';
import { multiplyNode } from './multiply.node';

describe('multiply', () => {
  it('multiplies a by b on every bar', () => {
    expect(
      runNode(multiplyNode, {}, [
        [2.5, 4],
        [-3, 2],
        [7, 0],
      ]),
    ).toEqual([10, -6, 0]);
  });

  it('outputs null instead of Infinity when the product overflows', () => {
    expect(runNode(multiplyNode, {}, [[1e200, 1e200]])).toEqual([null]);
  });
});
