import { describe, expect, it } from 'vitest';
import { runNode } from '../run-node';
import { absNode } from './abs.node';

describe('abs', () => {
  it('drops the sign of negative values and keeps positive ones', () => {
    expect(runNode(absNode, {}, [[-2.5], [3], [0]])).toEqual([2.5, 3, 0]);
  });
});
