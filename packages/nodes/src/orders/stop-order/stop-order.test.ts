import type { Signal } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { stopOrderNode } from './stop-order.node.ts';

const enterShort: Signal = { kind: 'signal', action: 'enter_short' };

describe('stop_order', () => {
  it('places a stop 0.5 percent beyond the reference by default', () => {
    const [intent] = firstOutputs(stopOrderNode, {}, [[enterShort, null, null, null]]);
    expect(intent).toMatchObject({
      orderType: 'stop',
      action: 'enter_short',
      offsetPercent: 0.5,
      expireAfterBars: 0,
    });
  });

  it('carries an expiry in bars', () => {
    const [intent] = firstOutputs(stopOrderNode, { expireAfterBars: 12 }, [[enterShort, null, null, null]]);
    expect(intent).toMatchObject({ expireAfterBars: 12 });
  });
});
