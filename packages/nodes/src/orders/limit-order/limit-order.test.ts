import type { Signal } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { limitOrderNode } from './limit-order.node.ts';

const enterLong: Signal = { kind: 'signal', action: 'enter_long' };

describe('limit_order', () => {
  it('places a good-till-cancelled limit 0.1 percent from the close by default', () => {
    const [intent] = firstOutputs(limitOrderNode, {}, [[enterLong, null, null, null]]);
    expect(intent).toMatchObject({
      orderType: 'limit',
      offsetPercent: 0.1,
      expireAfterBars: 0,
      referencePrice: null,
    });
  });

  it('carries a chosen offset and expiry', () => {
    const [intent] = firstOutputs(limitOrderNode, { offsetPercent: 1.5, expireAfterBars: 4 }, [
      [enterLong, null, null, 50],
    ]);
    expect(intent).toMatchObject({ offsetPercent: 1.5, expireAfterBars: 4, referencePrice: 50 });
  });

  it('rejects offsets outside 0..50 percent and fractional expiries', () => {
    expect(() => limitOrderNode.params.parse({ offsetPercent: -1 })).toThrow();
    expect(() => limitOrderNode.params.parse({ offsetPercent: 51 })).toThrow();
    expect(() => limitOrderNode.params.parse({ expireAfterBars: 1.5 })).toThrow();
  });
});
