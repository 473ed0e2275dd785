// Graphs for the editor's tests: a tiny hand-written one and the shipped EMA-cross example.
import { readFileSync } from 'node:fs';
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';

/** candles → ema → crosses_above(close, ema) → enter_long → market_order. */
export function smallGraph(): Graph {
  return GraphSchema.parse({
    schemaVersion: 1,
    name: 'small',
    params: [{ name: 'fast', type: 'int', default: 10, min: 2, max: 50, step: 1 }],
    nodes: [
      {
        id: 'candles',
        type: 'candles',
        version: 1,
        params: { symbol: 'BTC/USDT', timeframe: '1h' },
        position: { x: 0, y: 0 },
      },
      { id: 'ema', type: 'ema', version: 1, params: { period: 20 }, position: { x: 200, y: 0 } },
      { id: 'cross', type: 'crosses_above', version: 1, params: {}, position: { x: 400, y: 0 } },
      { id: 'long', type: 'enter_long', version: 1, params: {}, position: { x: 600, y: 0 } },
      { id: 'order', type: 'market_order', version: 1, params: {}, position: { x: 800, y: 0 } },
    ],
    edges: [
      { source: 'candles', sourcePort: 'close', target: 'ema', targetPort: 'source' },
      { source: 'candles', sourcePort: 'close', target: 'cross', targetPort: 'a' },
      { source: 'ema', sourcePort: 'value', target: 'cross', targetPort: 'b' },
      { source: 'cross', sourcePort: 'value', target: 'long', targetPort: 'when' },
      { source: 'long', sourcePort: 'signal', target: 'order', targetPort: 'signal' },
    ],
  });
}

export function exampleGraph(name: string): Graph {
  const url = new URL(`../../../../../examples/${name}.json`, import.meta.url);
  return GraphSchema.parse(JSON.parse(readFileSync(url, 'utf8')));
}
