import { describe, expect, it } from 'vitest';
import { runNode } from '../run-node';
import { orNode } from './or.node';

describe('or', () => {
  it('is true when either input is true', () => {
    const rows = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ];
    expect(runNode(orNode, {}, rows)).toEqual([false, true, true, true]);
  });
});
