import { describe, expect, it } from 'vitest';
import { runNode } from '../run-node';
import { notNode } from './not.node';

describe('not', () => {
  it('inverts its input', () => {
    expect(runNode(notNode, {}, [[true], [false]])).toEqual([false, true]);
  });
});
