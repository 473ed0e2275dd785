// Auto-layout of the strategy graph with dagre: left to right, data on the left and orders on the right.
import { Graph as DagreGraph, layout } from '@dagrejs/dagre';
import type { Graph } from '@candleflow/strategy-dsl';
import { moveNodes, type XY } from './graph-ops';

export interface NodeSize {
  readonly width: number;
  readonly height: number;
}

/** Used for nodes the canvas has not measured yet (e.g. a graph laid out before its first render). */
export const DEFAULT_NODE_SIZE: NodeSize = { width: 180, height: 90 };

/**
 * New top-left positions for every node (xyflow positions are top-left; dagre gives centres).
 * Nodes keep their graph order within a rank, so re-running layout on a laid-out graph is stable.
 */
export function layoutPositions(
  graph: Graph,
  sizes: ReadonlyMap<string, NodeSize> = new Map(),
): Map<string, XY> {
  const g = new DagreGraph();
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
    g.setNode(node.id, { width: size.width, height: size.height });
  }
  for (const e of graph.edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  }
  layout(g);
  const positions = new Map<string, XY>();
  for (const node of graph.nodes) {
    const laid = g.node(node.id) as { x: number; y: number } | undefined;
    const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
    if (laid)
      positions.set(node.id, {
        x: Math.round(laid.x - size.width / 2),
        y: Math.round(laid.y - size.height / 2),
      });
  }
  return positions;
}

export function autoLayout(graph: Graph, sizes?: ReadonlyMap<string, NodeSize>): Graph {
  return moveNodes(graph, layoutPositions(graph, sizes));
}
