import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { kellySizeNode } from './kelly-size.node.ts';

describe('kelly_size', () => {
  it('passes its settings to the engine, which computes the fraction from closed trades', () => {
    expect(firstOutputs(kellySizeNode, {}, [[]])).toEqual([
      { kind: 'kelly', maxFraction: 0.25, window: 50, minTrades: 20, fallbackPercent: 1 },
    ]);
  });

  it('reports minTrades larger than the window, which would never leave the fallback', () => {
    const issues = kellySizeNode.check?.(kellySizeNode.params.parse({ window: 10, minTrades: 20 }), {
      connected: new Set(),
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'INVALID_PARAM', param: 'minTrades' })]);
    expect(issues?.[0]?.hint).toMatch(/at most 10/);
  });

  it('has no issue when minTrades fits in the window', () => {
    expect(kellySizeNode.check?.(kellySizeNode.params.parse({}), { connected: new Set() })).toEqual([]);
  });

  it('rejects a cap above the whole equity', () => {
    expect(() => kellySizeNode.params.parse({ maxFraction: 1.5 })).toThrow();
  });
});
