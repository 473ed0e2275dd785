import type { Exit, OrderIntent, Signal, Sizing, Value } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { createNode, feedLikeKernel, firstOutputs } from '../../math/kernel-feed';
import { stopLossNode } from '../../sizing/stop-loss/stop-loss.node.ts';
import { marketOrderNode } from './market-order.node.ts';

const enterLong: Signal = { kind: 'signal', action: 'enter_long' };
const enterShort: Signal = { kind: 'signal', action: 'enter_short' };
const exitLong: Signal = { kind: 'signal', action: 'exit_long' };
const tenPercent: Sizing = { kind: 'percent_equity', percent: 10 };
const stop: Exit = { kind: 'stop_loss', percent: 2 };
const target: Exit = { kind: 'take_profit', percent: 4 };

/** Runs the order node with the given ports connected; rows are [signal, size, exits, price]. */
function orders(connected: string[], rows: Value[][], params: Record<string, unknown> = {}): Value[] {
  const evaluator = createNode(marketOrderNode, params, { connected: new Set(['signal', ...connected]) });
  return feedLikeKernel(marketOrderNode, evaluator, rows).map((out) => out[0] ?? null);
}

describe('market_order', () => {
  it('places a market order carrying the signal, its sizing and its exits', () => {
    const [intent] = orders(['size', 'exits'], [[enterLong, tenPercent, [stop, target], null]]);
    const expected: OrderIntent = {
      kind: 'order',
      action: 'enter_long',
      orderType: 'market',
      offsetPercent: 0,
      referencePrice: null,
      sizing: tenPercent,
      exits: [stop, target],
      timing: 'run_default',
      expireAfterBars: 0,
    };
    expect(intent).toEqual(expected);
  });

  it('outputs nothing on bars without a signal', () => {
    expect(
      firstOutputs(marketOrderNode, {}, [
        [null, null, null, null],
        [enterShort, null, null, null],
      ]),
    ).toEqual([null, expect.objectContaining({ action: 'enter_short' })]);
  });

  it('leaves sizing to the run when no size is connected', () => {
    const [intent] = orders([], [[enterLong, null, null, null]]);
    expect(intent).toMatchObject({ sizing: null, exits: [] });
  });

  it('treats a null size as unconnected when the kernel does not say which inputs are wired', () => {
    const [out] = feedLikeKernel(marketOrderNode, createNode(marketOrderNode), [
      [enterLong, null, null, null],
    ]);
    expect(out?.[0]).toMatchObject({ action: 'enter_long', sizing: null });
  });

  it('holds the entry back while a connected size has no value yet', () => {
    expect(
      orders(
        ['size'],
        [
          [enterLong, null, null, null],
          [enterLong, tenPercent, null, null],
        ],
      ),
    ).toEqual([null, expect.objectContaining({ sizing: tenPercent })]);
  });

  it('holds the entry back while any connected exit has no value yet', () => {
    const rows = [
      [enterLong, null, [stop, null], null],
      [enterLong, null, [stop, target], null],
    ];
    expect(orders(['exits'], rows)).toEqual([null, expect.objectContaining({ exits: [stop, target] })]);
  });

  it('sends no entry until an ATR stop wired to it has warmed up', () => {
    const stopNode = createNode(stopLossNode, { mode: 'atr', multiple: 2 });
    const atr = [[null], [null], [1.5]];
    const stops = feedLikeKernel(stopLossNode, stopNode, atr).map((out) => out[0] ?? null);
    const rows = stops.map((exit) => [enterLong, null, [exit], null]);
    expect(orders(['exits'], rows)).toEqual([
      null,
      null,
      expect.objectContaining({ exits: [{ kind: 'stop_loss', distance: 3 }] }),
    ]);
  });

  it('ignores sizing and exits for an exit signal, even ones not ready', () => {
    const [intent] = orders(['size', 'exits'], [[exitLong, null, [null], null]]);
    expect(intent).toMatchObject({ action: 'exit_long', sizing: null, exits: [] });
  });

  it('keeps the exits it sent even if the kernel reuses the input array', () => {
    const exits: (Exit | null)[] = [stop];
    const [intent] = orders(['exits'], [[enterLong, null, exits, null]]);
    exits[0] = target;
    expect((intent as OrderIntent).exits).toEqual([stop]);
    expect(Object.isFrozen(intent)).toBe(true);
  });

  it('uses a connected price as the reference, and holds the order while that price has no value', () => {
    const rows = [
      [enterLong, null, null, null],
      [enterLong, null, null, 101.5],
    ];
    expect(orders(['price'], rows)).toEqual([null, expect.objectContaining({ referencePrice: 101.5 })]);
  });

  it('carries the timing parameter', () => {
    const [intent] = orders([], [[enterLong, null, null, null]], { timing: 'this_bar_open' });
    expect(intent).toMatchObject({ timing: 'this_bar_open' });
  });

  it('defaults to the run fill timing and the signal data symbol', () => {
    expect(marketOrderNode.params.parse({})).toEqual({ timing: 'run_default', symbol: '' });
  });
});
