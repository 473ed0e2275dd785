import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { exitLongNode } from './exit-long.node.ts';

describe('exit_long', () => {
  it('outputs a exit_long signal on bars where the condition is true and nothing otherwise', () => {
    const outputs = firstOutputs(exitLongNode, {}, [[true], [false], [true]]);
    expect(outputs).toEqual([
      { kind: 'signal', action: 'exit_long' },
      null,
      { kind: 'signal', action: 'exit_long' },
    ]);
  });

  it('hands out one frozen signal object instead of allocating one per bar', () => {
    const evaluator = createNode(exitLongNode);
    const [first, second] = feedLikeKernel(exitLongNode, evaluator, [[true], [true]]);
    expect(first?.[0]).toBe(second?.[0]);
    expect(Object.isFrozen(first?.[0])).toBe(true);
  });
});
