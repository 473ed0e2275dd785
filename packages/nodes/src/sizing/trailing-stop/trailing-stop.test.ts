import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { trailingStopNode } from './trailing-stop.node.ts';

describe('trailing_stop', () => {
  it('defaults to trailing 3 percent behind the best price', () => {
    expect(firstOutputs(trailingStopNode, {}, [[null]])).toEqual([{ kind: 'trailing_stop', percent: 3 }]);
  });

  it('defaults to 3 ATRs in atr mode', () => {
    expect(firstOutputs(trailingStopNode, { mode: 'atr' }, [[2]])).toEqual([
      { kind: 'trailing_stop', distance: 6 },
    ]);
  });

  it('reports a missing ATR in atr mode', () => {
    const issues = trailingStopNode.check?.(trailingStopNode.params.parse({ mode: 'atr' }), {
      connected: new Set(),
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'MISSING_INPUT', port: 'atr' })]);
  });
});
