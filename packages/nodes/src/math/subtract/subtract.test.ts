import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { subtractNode } from './subtract.node';

describe('subtract', () => {
  it('subtracts b from a, not a from b', () => {
    expect(
      firstOutputs(subtractNode, {}, [
        [10, 4],
        [4, 10],
        [-1, -1],
      ]),
    ).toEqual([6, -6, 0]);
  });
});
