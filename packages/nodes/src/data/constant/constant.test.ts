// Constant: the node contract and its one value on every step.
import { describe, expect, it } from 'vitest';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { runNode } from '../../test-support/run-node';
import { constantNode } from './constant.node.ts';

const rows = Array.from({ length: 20 }, () => []);
runIndicatorContract(constantNode, [
  { name: 'default', rows },
  { name: 'a level of 30', params: { value: 30 }, rows },
]);

describe('constant', () => {
  it('outputs its value on every step, as a scalar', () => {
    const outputs = runNode(constantNode, { value: -2.5 }, [[], [], []]);

    expect(outputs).toEqual([[-2.5], [-2.5], [-2.5]]);
    expect(constantNode.outputs[0]?.kind).toBe('scalar');
  });

  it('refuses a value that is not a finite number', () => {
    expect(constantNode.params.safeParse({ value: Number.POSITIVE_INFINITY }).success).toBe(false);
    expect(constantNode.params.safeParse({ value: '3' }).success).toBe(false);
  });
});
