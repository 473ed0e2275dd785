// Pure edits of the strategy graph the canvas makes (add, remove, connect, move, paste, params).
// Every function returns a new Graph and keeps unchanged nodes and edges by reference, so the store can
// tell a position-only change from one the compiler must see without comparing values.
import {
  type Graph,
  type GraphEdge,
  type GraphNode,
  IDENTIFIER,
  type ParamValue,
  type RiskSettings,
  type StrategyParam,
} from '@candleflow/strategy-dsl';

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** What Ctrl+C puts on the clipboard: nodes and the edges between them (edges to outside nodes are dropped). */
export interface GraphClipboard {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const MAX_ID_LENGTH = 64;
/** Room for a `_NNNNN` suffix inside the 64-character id limit. */
const MAX_BASE_LENGTH = MAX_ID_LENGTH - 7;

/** Stable key of an edge, also its xyflow edge id. */
export function edgeId(e: GraphEdge): string {
  return `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`;
}

/**
 * A readable identifier not in `taken`: `ema`, then `ema_2`, `ema_3`… A trailing `_N` of the base is
 * dropped first so copying `ema_2` gives `ema_3`, not `ema_2_2`.
 */
export function uniqueNodeId(base: string, taken: ReadonlySet<string>): string {
  let stem = base
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/_\d+$/, '')
    .slice(0, MAX_BASE_LENGTH);
  if (stem === '' || !/^[A-Za-z_]/.test(stem)) stem = `n_${stem}`.slice(0, MAX_BASE_LENGTH);
  if (!taken.has(stem) && IDENTIFIER.test(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function nodeIds(graph: Graph): Set<string> {
  return new Set(graph.nodes.map((n) => n.id));
}

export function addNode(
  graph: Graph,
  node: { type: string; version: number; params: Record<string, ParamValue>; position: XY; id?: string },
): { graph: Graph; id: string } {
  const id = uniqueNodeId(node.id ?? node.type, nodeIds(graph));
  const created: GraphNode = {
    id,
    type: node.type,
    version: node.version,
    params: node.params,
    position: { x: node.position.x, y: node.position.y },
  };
  return { graph: { ...graph, nodes: [...graph.nodes, created] }, id };
}

/** Removes the nodes and every edge touching them. */
export function removeNodes(graph: Graph, ids: ReadonlySet<string>): Graph {
  if (ids.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !ids.has(n.id)),
    edges: graph.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
  };
}

export function removeEdges(graph: Graph, edgeIds: ReadonlySet<string>): Graph {
  if (edgeIds.size === 0) return graph;
  const edges = graph.edges.filter((e) => !edgeIds.has(edgeId(e)));
  return edges.length === graph.edges.length ? graph : { ...graph, edges };
}

/**
 * Adds an edge. A single (non-`multiple`) input holds one edge, so connecting to a used single input
 * replaces its edge: that is what dragging a new wire onto it means.
 */
export function connect(graph: Graph, edge: GraphEdge, targetAcceptsMany: boolean): Graph {
  const key = edgeId(edge);
  if (graph.edges.some((e) => edgeId(e) === key)) return graph;
  const kept = targetAcceptsMany
    ? graph.edges
    : graph.edges.filter((e) => !(e.target === edge.target && e.targetPort === edge.targetPort));
  return { ...graph, edges: [...kept, { ...edge }] };
}

/** Moves nodes; returns the same graph when nothing moved. */
export function moveNodes(graph: Graph, positions: ReadonlyMap<string, XY>): Graph {
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...graph, nodes } : graph;
}

/** Replaces one node's params; unknown node ids are a programming error. */
export function setNodeParams(graph: Graph, nodeId: string, params: Record<string, unknown>): Graph {
  const index = graph.nodes.findIndex((n) => n.id === nodeId);
  if (index < 0) throw new Error(`setNodeParams: no node '${nodeId}' in the graph`);
  const nodes = graph.nodes.slice();
  const node = nodes[index] as GraphNode;
  nodes[index] = { ...node, params: params as Record<string, ParamValue> };
  return { ...graph, nodes };
}

export function setStrategyParams(
  graph: Graph,
  params: readonly StrategyParam[],
  constraints: readonly string[],
): Graph {
  return { ...graph, params: [...params], constraints: [...constraints] };
}

/** The graph with its risk limits replaced; `undefined` removes them (no caps). */
export function setRiskSettings(graph: Graph, risk: RiskSettings | undefined): Graph {
  const { risk: _old, ...rest } = graph;
  return risk === undefined ? rest : { ...rest, risk: { ...risk } };
}

export function copyNodes(graph: Graph, ids: ReadonlySet<string>): GraphClipboard {
  return {
    nodes: graph.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone(n)),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/** Pastes clipboard nodes with fresh ids, shifted by `offset`; edges between them follow the new ids. */
export function pasteNodes(graph: Graph, clip: GraphClipboard, offset: XY): { graph: Graph; ids: string[] } {
  const taken = nodeIds(graph);
  const renamed = new Map<string, string>();
  const added: GraphNode[] = [];
  for (const node of clip.nodes) {
    const id = uniqueNodeId(node.id, taken);
    taken.add(id);
    renamed.set(node.id, id);
    added.push({
      ...structuredClone(node),
      id,
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
    });
  }
  const edges: GraphEdge[] = [];
  for (const e of clip.edges) {
    const source = renamed.get(e.source);
    const target = renamed.get(e.target);
    if (source && target) edges.push({ ...e, source, target });
  }
  return {
    graph: { ...graph, nodes: [...graph.nodes, ...added], edges: [...graph.edges, ...edges] },
    ids: added.map((n) => n.id),
  };
}

/**
 * True when `next` differs from `prev` in something the compiler reads (not only positions).
 * Relies on the reference-keeping of the functions above; a fresh graph from elsewhere counts as changed.
 */
export function semanticsChanged(prev: Graph, next: Graph): boolean {
  if (prev === next) return false;
  if (
    prev.edges !== next.edges ||
    prev.params !== next.params ||
    prev.constraints !== next.constraints ||
    prev.risk !== next.risk ||
    prev.name !== next.name ||
    prev.nodes.length !== next.nodes.length
  ) {
    return true;
  }
  for (let i = 0; i < prev.nodes.length; i++) {
    const a = prev.nodes[i] as GraphNode;
    const b = next.nodes[i] as GraphNode;
    if (a === b) continue;
    if (a.id !== b.id || a.type !== b.type || a.version !== b.version || a.params !== b.params) return true;
  }
  return false;
}

/** Deep equality of two graphs, key order ignored (dirty tracking after undo, restore or code edits). */
export function graphsEqual(a: Graph, b: Graph): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so equal graphs give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}
