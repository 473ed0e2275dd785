import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { stopLossNode } from './stop-loss.node.ts';

const check = (params: Record<string, unknown>, connected: string[]) =>
  stopLossNode.check?.(stopLossNode.params.parse(params), { connected: new Set(connected) }) ?? [];

describe('stop_loss', () => {
  it('defaults to a 2 percent stop measured from the entry price', () => {
    expect(firstOutputs(stopLossNode, {}, [[null]])).toEqual([{ kind: 'stop_loss', percent: 2 }]);
  });

  it('ignores a connected ATR in percent mode', () => {
    expect(firstOutputs(stopLossNode, { percent: 1.5 }, [[40]])).toEqual([
      { kind: 'stop_loss', percent: 1.5 },
    ]);
  });

  it('in atr mode sets the distance to ATR times the multiple', () => {
    expect(firstOutputs(stopLossNode, { mode: 'atr', multiple: 2.5 }, [[40], [10]])).toEqual([
      { kind: 'stop_loss', distance: 100 },
      { kind: 'stop_loss', distance: 25 },
    ]);
  });

  it('in atr mode outputs nothing while ATR is still warming up or not positive', () => {
    expect(firstOutputs(stopLossNode, { mode: 'atr' }, [[null], [0], [Number.NaN], [3]])).toEqual([
      null,
      null,
      null,
      { kind: 'stop_loss', distance: 6 },
    ]);
  });

  it('reports the atr port as missing in atr mode when nothing is connected to it', () => {
    const issues = check({ mode: 'atr' }, []);
    expect(issues).toEqual([expect.objectContaining({ code: 'MISSING_INPUT', port: 'atr' })]);
    expect(issues[0]?.hint).toMatch(/Connect an ATR/);
  });

  it('has no issue in atr mode with ATR connected, nor in percent mode without it', () => {
    expect(check({ mode: 'atr' }, ['atr'])).toEqual([]);
    expect(check({ mode: 'percent' }, [])).toEqual([]);
  });

  it('does not accept a stop 100 percent or more away', () => {
    expect(() => stopLossNode.params.parse({ percent: 100 })).toThrow();
  });

  it('keeps an exit already handed out unchanged when ATR moves', () => {
    const evaluator = createNode(stopLossNode, { mode: 'atr', multiple: 2 });
    const [first, second] = feedLikeKernel(stopLossNode, evaluator, [[5], [7]]).map((out) => out[0]);
    expect(first).toEqual({ kind: 'stop_loss', distance: 10 });
    expect(second).toEqual({ kind: 'stop_loss', distance: 14 });
    expect(Object.isFrozen(first)).toBe(true);
  });
});
