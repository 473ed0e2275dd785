import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../kernel-feed';
import { notNode } from './not.node';

describe('not', () => {
  it('inverts its input', () => {
    expect(firstOutputs(notNode, {}, [[true], [false]])).toEqual([false, true]);
  });
});
