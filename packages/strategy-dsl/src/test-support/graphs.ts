// Graph builders for tests and benchmarks: a compact way to write graphs, and a long chain generator.
import type { GraphInput, ParamValue } from '../graph';

export interface TestNode {
  readonly id: string;
  readonly type: string;
  readonly version?: number;
  readonly params?: Record<string, ParamValue>;
}

/** Builds a graph from nodes and `source.port -> target.port` edge strings. */
export function graph(
  nodes: readonly TestNode[],
  edges: readonly string[],
  extra: Partial<Pick<GraphInput, 'params' | 'constraints' | 'name'>> = {},
): GraphInput {
  return {
    schemaVersion: 1,
    name: extra.name ?? 'test strategy',
    params: extra.params ?? [],
    constraints: extra.constraints ?? [],
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, version: n.version ?? 1, params: n.params ?? {} })),
    edges: edges.map((e) => {
      const match = /^(\w+)\.(\w+)\s*->\s*(\w+)\.(\w+)$/.exec(e);
      if (!match) throw new Error(`edge "${e}" is not of the form source.port -> target.port`);
      return { source: match[1]!, sourcePort: match[2]!, target: match[3]!, targetPort: match[4]! };
    }),
  };
}

/** The smallest complete strategy: buy when the close is above its SMA. */
export function smaCrossGraph(period: number | { $param: string } = 3): GraphInput {
  return graph(
    [
      { id: 'btc', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '1m' } },
      { id: 'avg', type: 'sma', params: { period } },
      { id: 'above', type: 'compare' },
      { id: 'entry', type: 'enter_long' },
      { id: 'buy', type: 'market_order' },
    ],
    [
      'btc.close -> avg.source',
      'btc.close -> above.a',
      'avg.value -> above.b',
      'above.result -> entry.when',
      'entry.signal -> buy.signal',
    ],
  );
}

/**
 * A valid strategy of exactly `n` nodes (n >= 5): candles, a chain of alternating SMA and lag nodes,
 * a comparison with a constant, an entry and an order. Node i of the chain reads node i-1.
 */
export function makeChainGraph(n: number): GraphInput {
  if (n < 5) throw new Error(`makeChainGraph needs at least 5 nodes, got ${n}`);
  const nodes: TestNode[] = [
    { id: 'feed', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '1m' } },
  ];
  const edges: string[] = [];
  let previous = 'feed.close';
  for (let i = 0; i < n - 5; i++) {
    const id = `n${i}`;
    nodes.push(
      i % 2 === 0 ? { id, type: 'sma', params: { period: 2 } } : { id, type: 'lag', params: { bars: 1 } },
    );
    edges.push(`${previous} -> ${id}.source`);
    previous = `${id}.value`;
  }
  nodes.push(
    { id: 'level', type: 'constant', params: { value: 100 } },
    { id: 'above', type: 'compare' },
    { id: 'entry', type: 'enter_long' },
    { id: 'buy', type: 'market_order' },
  );
  edges.push(
    `${previous} -> above.a`,
    'level.value -> above.b',
    'above.result -> entry.when',
    'entry.signal -> buy.signal',
  );
  return graph(nodes, edges, { name: `chain of ${n}` });
}
