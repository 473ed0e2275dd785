import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { enterShortNode } from './enter-short.node.ts';

describe('enter_short', () => {
  it('outputs a enter_short signal on bars where the condition is true and nothing otherwise', () => {
    const outputs = firstOutputs(enterShortNode, {}, [[true], [false], [true]]);
    expect(outputs).toEqual([
      { kind: 'signal', action: 'enter_short' },
      null,
      { kind: 'signal', action: 'enter_short' },
    ]);
  });

  it('hands out one frozen signal object instead of allocating one per bar', () => {
    const evaluator = createNode(enterShortNode);
    const [first, second] = feedLikeKernel(enterShortNode, evaluator, [[true], [true]]);
    expect(first?.[0]).toBe(second?.[0]);
    expect(Object.isFrozen(first?.[0])).toBe(true);
  });
});
