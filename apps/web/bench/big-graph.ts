// A large strategy graph for the canvas benchmark, built from real catalog node types so it compiles:
// one candles node, then repeated EMA-cross blocks (10 nodes, 13 wires) and two-input math nodes to
// reach the exact node and edge counts, laid out as a grid of blocks.
import type { Graph, GraphEdge, GraphNode } from '@candleflow/strategy-dsl';

const BLOCK_NODES = 10;
const BLOCK_EDGES = 13;
const BLOCK_WIDTH = 5 * 220;
const BLOCK_HEIGHT = 2 * 130 + 60;

export interface BigGraphShape {
  readonly nodes: number;
  readonly edges: number;
}

/** An EMA cross with exits, one lane of the benchmark graph; `p` prefixes its node ids. */
function block(p: string, origin: { x: number; y: number }, period: number) {
  const at = (col: number, row: number) => ({ x: origin.x + col * 220, y: origin.y + row * 130 });
  const node = (id: string, type: string, col: number, row: number, params: Record<string, unknown> = {}) =>
    ({ id: `${p}${id}`, type, version: 1, params, position: at(col, row) }) as GraphNode;
  const edge = (source: string, sourcePort: string, target: string, targetPort: string): GraphEdge => ({
    source: source === 'candles' ? source : `${p}${source}`,
    sourcePort,
    target: `${p}${target}`,
    targetPort,
  });
  const nodes = [
    node('fast', 'ema', 0, 0, { period }),
    node('slow', 'ema', 0, 1, { period: period * 2 + 1 }),
    node('trend', 'sma', 1, 0, { period: period * 3 }),
    node('spread', 'subtract', 1, 1),
    node('up', 'crosses_above', 2, 0),
    node('down', 'crosses_below', 2, 1),
    node('long', 'enter_long', 3, 0),
    node('flat', 'exit_long', 3, 1),
    node('buy', 'market_order', 4, 0),
    node('sell', 'market_order', 4, 1),
  ];
  const edges = [
    edge('candles', 'close', 'fast', 'source'),
    edge('candles', 'close', 'slow', 'source'),
    edge('fast', 'value', 'trend', 'source'),
    edge('fast', 'value', 'spread', 'a'),
    edge('slow', 'value', 'spread', 'b'),
    edge('fast', 'value', 'up', 'a'),
    edge('trend', 'value', 'up', 'b'),
    edge('fast', 'value', 'down', 'a'),
    edge('slow', 'value', 'down', 'b'),
    edge('up', 'value', 'long', 'when'),
    edge('down', 'value', 'flat', 'when'),
    edge('long', 'signal', 'buy', 'signal'),
    edge('flat', 'signal', 'sell', 'signal'),
  ];
  return { nodes, edges };
}

/**
 * A graph of exactly `shape.nodes` nodes and `shape.edges` edges that compiles without errors.
 * Filler nodes are `add` (two wires) and `abs` (one wire) fed by the blocks' EMAs, so every count
 * from (1 + 10k nodes, 13k edges) upwards within reach of the filler can be hit.
 */
export function bigGraph(shape: BigGraphShape = { nodes: 300, edges: 400 }): Graph {
  // Each block adds 10 nodes and 13 edges; fillers then add n nodes with between n and 2n edges.
  let blocks = Math.floor((shape.nodes - 1) / BLOCK_NODES);
  const fits = (b: number) => {
    const restNodes = shape.nodes - 1 - b * BLOCK_NODES;
    const restEdges = shape.edges - b * BLOCK_EDGES;
    return b >= 1 && restNodes >= 0 && restEdges >= restNodes && restEdges <= 2 * restNodes;
  };
  while (blocks >= 1 && !fits(blocks)) blocks--;
  if (!fits(blocks)) {
    throw new Error(
      `bigGraph cannot make ${shape.nodes} nodes with ${shape.edges} edges: ask for between 1.3 and 2 edges per node`,
    );
  }
  const perRow = Math.max(1, Math.round(Math.sqrt(blocks / 2)));
  const nodes: GraphNode[] = [
    {
      id: 'candles',
      type: 'candles',
      version: 1,
      params: { symbol: 'BTC/USDT', timeframe: '1h' },
      position: { x: -300, y: 0 },
    },
  ];
  const edges: GraphEdge[] = [];
  for (let b = 0; b < blocks; b++) {
    const origin = { x: (b % perRow) * (BLOCK_WIDTH + 80), y: Math.floor(b / perRow) * BLOCK_HEIGHT };
    const made = block(`b${b}_`, origin, 5 + (b % 20));
    nodes.push(...made.nodes);
    edges.push(...made.edges);
  }
  const fillerNodes = shape.nodes - nodes.length;
  const twoWire = shape.edges - edges.length - fillerNodes;
  const fillerTop = Math.ceil(blocks / perRow) * BLOCK_HEIGHT;
  for (let i = 0; i < fillerNodes; i++) {
    const feed = `b${i % blocks}_`;
    const position = { x: (i % 10) * 220, y: fillerTop + Math.floor(i / 10) * 130 };
    if (i < twoWire) {
      nodes.push({ id: `sum_${i}`, type: 'add', version: 1, params: {}, position });
      edges.push({ source: `${feed}fast`, sourcePort: 'value', target: `sum_${i}`, targetPort: 'a' });
      edges.push({ source: `${feed}slow`, sourcePort: 'value', target: `sum_${i}`, targetPort: 'b' });
    } else {
      nodes.push({ id: `abs_${i}`, type: 'abs', version: 1, params: {}, position });
      edges.push({ source: `${feed}fast`, sourcePort: 'value', target: `abs_${i}`, targetPort: 'source' });
    }
  }
  return {
    schemaVersion: 1,
    name: `Canvas benchmark (${shape.nodes} nodes)`,
    params: [],
    constraints: [],
    nodes,
    edges,
  } as Graph;
}
