import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { andNode } from './and.node';

describe('and', () => {
  it('is true only when both inputs are true', () => {
    const rows = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ];
    expect(firstOutputs(andNode, {}, rows)).toEqual([false, false, false, true]);
  });
});
