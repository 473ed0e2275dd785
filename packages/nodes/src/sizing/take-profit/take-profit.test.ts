import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { takeProfitNode } from './take-profit.node.ts';

describe('take_profit', () => {
  it('defaults to a 4 percent target', () => {
    expect(firstOutputs(takeProfitNode, {}, [[null]])).toEqual([{ kind: 'take_profit', percent: 4 }]);
  });

  it('defaults to 3 ATRs in atr mode', () => {
    expect(firstOutputs(takeProfitNode, { mode: 'atr' }, [[null], [10]])).toEqual([
      null,
      { kind: 'take_profit', distance: 30 },
    ]);
  });

  it('allows a target further than 100 percent away', () => {
    expect(takeProfitNode.params.parse({ percent: 250 }).percent).toBe(250);
  });

  it('reports a missing ATR in atr mode', () => {
    const issues = takeProfitNode.check?.(takeProfitNode.params.parse({ mode: 'atr' }), {
      connected: new Set(),
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'MISSING_INPUT', port: 'atr' })]);
  });
});
