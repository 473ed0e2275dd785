import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { riskSizeNode } from './risk-size.node.ts';

describe('risk_size', () => {
  it('sets the stop distance to ATR times the multiple and carries the risk percent', () => {
    const outputs = firstOutputs(riskSizeNode, { riskPercent: 1.5, atrMult: 3 }, [[120], [80]]);
    expect(outputs).toEqual([
      { kind: 'risk', riskPercent: 1.5, stopDistance: 360 },
      { kind: 'risk', riskPercent: 1.5, stopDistance: 240 },
    ]);
  });

  it('defaults to 2 percent risk over 2 ATRs', () => {
    expect(firstOutputs(riskSizeNode, {}, [[10]])).toEqual([
      { kind: 'risk', riskPercent: 2, stopDistance: 20 },
    ]);
  });

  it('outputs nothing while ATR is missing, zero or negative, since the size would be unbounded', () => {
    expect(firstOutputs(riskSizeNode, {}, [[null], [0], [-1], [Number.POSITIVE_INFINITY]])).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('keeps earlier outputs intact when ATR changes (each value is its own frozen object)', () => {
    const evaluator = createNode(riskSizeNode);
    const [first, second, third] = feedLikeKernel(riskSizeNode, evaluator, [[1], [1], [2]]).map(
      (out) => out[0],
    );
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    expect(first).toEqual({ kind: 'risk', riskPercent: 2, stopDistance: 2 });
    expect(Object.isFrozen(third)).toBe(true);
  });

  it('rejects a risk percent outside 0.01..100', () => {
    expect(() => riskSizeNode.params.parse({ riskPercent: 0 })).toThrow();
    expect(() => riskSizeNode.params.parse({ riskPercent: 101 })).toThrow();
  });
});
