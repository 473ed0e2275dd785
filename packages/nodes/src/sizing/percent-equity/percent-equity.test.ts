import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { percentEquityNode } from './percent-equity.node.ts';

describe('percent_equity', () => {
  it('defaults to 10 percent of equity', () => {
    expect(firstOutputs(percentEquityNode, {}, [[]])).toEqual([{ kind: 'percent_equity', percent: 10 }]);
  });

  it('accepts up to 100 percent and nothing above or at zero', () => {
    expect(percentEquityNode.params.parse({ percent: 100 })).toEqual({ percent: 100 });
    expect(() => percentEquityNode.params.parse({ percent: 100.5 })).toThrow();
    expect(() => percentEquityNode.params.parse({ percent: 0 })).toThrow();
  });
});
