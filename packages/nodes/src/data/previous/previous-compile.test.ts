// Through the real compiler: a negative lag is one look-ahead error, worded by the node, not two.
import { compile, parseText } from '@candleflow/strategy-dsl';
import { expect, it } from 'vitest';
import { catalog } from '../../index';

it('reports a negative lag once, as look-ahead on the node and its parameter', () => {
  const parsed = parseText(`strategy "t"
candles = candles(symbol: "BTC/USDT", timeframe: "1h")
future = previous(source: candles.close, bars: -1)
up = compare(a: future.value, b: candles.close, op: ">")
go = enter_long(when: up.value)
entry = market_order(signal: go.signal)
`);
  if (!parsed.ok) throw new Error('test strategy does not parse');

  const result = compile(parsed.graph, catalog);

  expect(result.ok).toBe(false);
  expect(result.diagnostics.map((d) => [d.code, d.nodeId, d.param])).toEqual([
    ['LOOKAHEAD_NEGATIVE_SHIFT', 'future', 'bars'],
  ]);
});
