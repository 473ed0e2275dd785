import { describe, expect, it } from 'vitest';
import { runNode } from '../run-node';
import { andNode } from './and.node';

describe('and', () => {
  it('is true only when both inputs are true', () => {
    const rows = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ];
    expect(runNode(andNode, {}, rows)).toEqual([false, false, false, true]);
  });
});
