// The bridge between the strategy graph and xyflow's nodes and edges. Reconciling keeps every xyflow
// object whose inputs did not change, so memoised node components skip re-rendering and a drag in
// progress is not reset by an unrelated store update (a finished compile, say).
import type { Graph, GraphNode, NodeCatalog, NodeDefinition, PortKind } from '@candleflow/strategy-dsl';
import type { Edge, Node } from '@xyflow/react';
import type { NodeDiagnostics } from './diagnostics';
import { edgeId } from './graph-ops';

export interface StrategyNodeData extends Record<string, unknown> {
  readonly node: GraphNode;
  readonly definition: NodeDefinition | undefined;
  readonly diagnostics: NodeDiagnostics | undefined;
  readonly readOnly: boolean;
}

export type StrategyFlowNode = Node<StrategyNodeData, 'strategy'>;
export type StrategyFlowEdge = Edge<{ kind: PortKind | 'unknown' }>;

export function reconcileNodes(
  previous: readonly StrategyFlowNode[],
  graph: Graph,
  catalog: NodeCatalog,
  diagnostics: ReadonlyMap<string, NodeDiagnostics>,
  selection: ReadonlySet<string>,
  readOnly: boolean,
): StrategyFlowNode[] {
  const byId = new Map(previous.map((n) => [n.id, n]));
  let same = previous.length === graph.nodes.length;
  const next = graph.nodes.map((node, i) => {
    const prev = byId.get(node.id);
    const diag = diagnostics.get(node.id);
    const selected = selection.has(node.id);
    if (
      prev &&
      prev.data.node === node &&
      prev.data.diagnostics === diag &&
      prev.data.readOnly === readOnly &&
      (prev.selected ?? false) === selected
    ) {
      if (previous[i] !== prev) same = false;
      return prev;
    }
    same = false;
    const data: StrategyNodeData =
      prev && prev.data.node === node && prev.data.diagnostics === diag && prev.data.readOnly === readOnly
        ? prev.data
        : { node, definition: catalog.get(node.type, node.version), diagnostics: diag, readOnly };
    const created: StrategyFlowNode = {
      id: node.id,
      type: 'strategy',
      // A node being dragged keeps its live position; the store learns the final one at drag end.
      position: prev?.dragging ? prev.position : node.position,
      data,
      selected,
      ...(prev?.measured ? { measured: prev.measured } : {}),
      ...(prev?.dragging ? { dragging: true } : {}),
    };
    return created;
  });
  return same ? (previous as StrategyFlowNode[]) : next;
}

export function reconcileEdges(
  previous: readonly StrategyFlowEdge[],
  graph: Graph,
  catalog: NodeCatalog,
  diagnosticsByNode: ReadonlyMap<string, NodeDiagnostics>,
): StrategyFlowEdge[] {
  const byId = new Map(previous.map((e) => [e.id, e]));
  const kindOf = new Map<string, PortKind | 'unknown'>();
  for (const n of graph.nodes) {
    const def = catalog.get(n.type, n.version);
    for (const o of def?.outputs ?? []) kindOf.set(`${n.id}.${o.name}`, o.kind);
  }
  let same = previous.length === graph.edges.length;
  const next = graph.edges.map((e, i) => {
    const id = edgeId(e);
    const kind = kindOf.get(`${e.source}.${e.sourcePort}`) ?? 'unknown';
    const targetPortSeverity = diagnosticsByNode.get(e.target)?.ports[e.targetPort];
    const className = `cf-edge kind-${kind}${targetPortSeverity === 'error' ? ' cf-edge-error' : ''}`;
    const prev = byId.get(id);
    if (prev && prev.className === className) {
      if (previous[i] !== prev) same = false;
      return prev;
    }
    same = false;
    const created: StrategyFlowEdge = {
      id,
      source: e.source,
      sourceHandle: e.sourcePort,
      target: e.target,
      targetHandle: e.targetPort,
      className,
      data: { kind },
      ...(prev?.selected ? { selected: true } : {}),
    };
    return created;
  });
  return same ? (previous as StrategyFlowEdge[]) : next;
}
