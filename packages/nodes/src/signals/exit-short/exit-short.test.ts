import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { exitShortNode } from './exit-short.node.ts';

describe('exit_short', () => {
  it('outputs a exit_short signal on bars where the condition is true and nothing otherwise', () => {
    const outputs = firstOutputs(exitShortNode, {}, [[true], [false], [true]]);
    expect(outputs).toEqual([
      { kind: 'signal', action: 'exit_short' },
      null,
      { kind: 'signal', action: 'exit_short' },
    ]);
  });

  it('hands out one frozen signal object instead of allocating one per bar', () => {
    const evaluator = createNode(exitShortNode);
    const [first, second] = feedLikeKernel(exitShortNode, evaluator, [[true], [true]]);
    expect(first?.[0]).toBe(second?.[0]);
    expect(Object.isFrozen(first?.[0])).toBe(true);
  });
});
