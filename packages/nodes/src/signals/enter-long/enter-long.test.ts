import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { enterLongNode } from './enter-long.node.ts';

describe('enter_long', () => {
  it('outputs a enter_long signal on bars where the condition is true and nothing otherwise', () => {
    const outputs = firstOutputs(enterLongNode, {}, [[true], [false], [true]]);
    expect(outputs).toEqual([
      { kind: 'signal', action: 'enter_long' },
      null,
      { kind: 'signal', action: 'enter_long' },
    ]);
  });

  it('hands out one frozen signal object instead of allocating one per bar', () => {
    const evaluator = createNode(enterLongNode);
    const [first, second] = feedLikeKernel(enterLongNode, evaluator, [[true], [true]]);
    expect(first?.[0]).toBe(second?.[0]);
    expect(Object.isFrozen(first?.[0])).toBe(true);
  });
});
