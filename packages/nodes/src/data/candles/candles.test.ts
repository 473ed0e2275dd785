// Candles: the node contract, its feed and bar-field declarations, and timeframe validation.
import { describe, expect, it } from 'vitest';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { syntheticBars } from '../../test-support/market-data';
import { runNode } from '../../test-support/run-node';
import { candlesNode } from './candles.node.ts';

const bars = syntheticBars(30);
runIndicatorContract(candlesNode, [{ name: 'hourly bars', rows: bars.map((b) => [b]) }]);

describe('candles', () => {
  it('outputs the bar and each of its fields', () => {
    const outputs = runNode(candlesNode, {}, [[bars[0]!]]);

    const b = bars[0]!;
    expect(outputs[0]).toEqual([b, b.open, b.high, b.low, b.close, b.volume]);
  });

  it('asks the kernel for its symbol and timeframe', () => {
    const params = candlesNode.params.parse({ symbol: 'ETH/USDT', timeframe: '15m' });

    expect(candlesNode.feed?.(params)).toEqual({ symbol: 'ETH/USDT', timeframe: '15m' });
    expect(candlesNode.feed?.(candlesNode.params.parse({}))).toEqual({ symbol: 'BTC/USDT', timeframe: '1h' });
  });

  it('declares which bar fields each output reveals, for look-ahead analysis', () => {
    const fields = Object.fromEntries(candlesNode.outputs.map((o) => [o.name, o.barFields]));

    expect(fields).toEqual({
      candles: ['open', 'high', 'low', 'close', 'volume'],
      open: ['open'],
      high: ['high'],
      low: ['low'],
      close: ['close'],
      volume: ['volume'],
    });
  });

  it('refuses a timeframe it cannot read and an empty symbol, saying what to write', () => {
    const badTimeframe = candlesNode.params.safeParse({ timeframe: '1 hour' });
    const emptySymbol = candlesNode.params.safeParse({ symbol: '' });

    expect(badTimeframe.success).toBe(false);
    expect(badTimeframe.error?.issues[0]?.message).toMatch(/such as 1m, 15m, 4h/);
    expect(emptySymbol.success).toBe(false);
  });
});
