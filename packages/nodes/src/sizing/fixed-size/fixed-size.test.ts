import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { fixedSizeNode } from './fixed-size.node.ts';

describe('fixed_size', () => {
  it('outputs the configured quantity on every bar', () => {
    expect(firstOutputs(fixedSizeNode, { quantity: 0.05 }, [[], []])).toEqual([
      { kind: 'fixed', quantity: 0.05 },
      { kind: 'fixed', quantity: 0.05 },
    ]);
  });

  it('rejects a zero or negative quantity', () => {
    expect(() => fixedSizeNode.params.parse({ quantity: 0 })).toThrow();
    expect(() => fixedSizeNode.params.parse({ quantity: -1 })).toThrow();
  });
});
