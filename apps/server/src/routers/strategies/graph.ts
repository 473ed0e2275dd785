// The one gate every saved graph passes: size limit first (cheap), then the graph schema and the
// compiler with the node catalog. What passes is stored as canonical graph, DSL text and content hash.
import { createHash } from 'node:crypto';
import { catalog } from '@candleflow/nodes';
import { canonicalJson } from '@candleflow/runner';
import { compile, type Diagnostic, type Graph, printGraph } from '@candleflow/strategy-dsl';
import { ApiError } from '../../errors';

export interface CheckedGraph {
  /** The graph with defaults filled in, positions kept (the canvas layout). */
  readonly graph: Graph;
  readonly dslText: string;
  readonly contentHash: string;
  readonly params: Graph['params'];
  /** Warnings the compiler had (unused nodes, ...): saved anyway, shown to the user. */
  readonly warnings: readonly Diagnostic[];
}

/** Throws GRAPH_TOO_LARGE when a graph has more nodes than allowed, before anything walks them. */
export function assertGraphSize(raw: unknown, maxNodes: number): void {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  if (Array.isArray(nodes) && nodes.length > maxNodes) {
    throw new ApiError(
      'GRAPH_TOO_LARGE',
      `The graph has ${nodes.length} nodes; at most ${maxNodes} are allowed. Split or simplify the strategy (an administrator can raise MAX_GRAPH_NODES).`,
      { nodes: nodes.length, maxNodes },
    );
  }
}

/** sha256 of the canonical graph JSON without node positions: moving a node does not change it. */
export function graphContentHash(graph: Graph): string {
  const { nodes, ...rest } = graph;
  const text = canonicalJson({ ...rest, nodes: nodes.map(({ position: _position, ...node }) => node) });
  return createHash('sha256').update(text).digest('hex');
}

const diagnosticView = (d: Diagnostic) => ({
  code: d.code,
  severity: d.severity,
  message: d.message,
  ...(d.nodeId !== undefined ? { nodeId: d.nodeId } : {}),
  ...(d.port !== undefined ? { port: d.port } : {}),
  ...(d.param !== undefined ? { param: d.param } : {}),
  ...(d.hint !== undefined ? { hint: d.hint } : {}),
});

/**
 * Size, schema and compile checks; COMPILE_FAILED carries every diagnostic with its node id and port.
 * `paramValues` lets a backtest check its parameter overrides against the declared ranges.
 */
export function checkGraph(
  raw: unknown,
  maxNodes: number,
  paramValues: Readonly<Record<string, number | string | boolean>> = {},
): CheckedGraph {
  assertGraphSize(raw, maxNodes);
  const compiled = compile(raw, catalog, { maxNodes, paramValues });
  if (!compiled.ok) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    throw new ApiError(
      'COMPILE_FAILED',
      `The strategy does not compile (${errors.length} error${errors.length === 1 ? '' : 's'})${
        first ? `: ${first.nodeId ? `node ${first.nodeId}: ` : ''}${first.message}` : ''
      }. Fix the marked nodes and save again.`,
      { diagnostics: compiled.diagnostics.map(diagnosticView) },
    );
  }
  const graph = compiled.graph;
  return {
    graph,
    dslText: printGraph(graph),
    contentHash: graphContentHash(graph),
    params: graph.params,
    warnings: compiled.diagnostics.filter((d) => d.severity === 'warning'),
  };
}

export function warningViews(checked: CheckedGraph) {
  return checked.warnings.map(diagnosticView);
}
