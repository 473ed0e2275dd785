// Port kinds on the canvas: their colours and legend, and whether a wire may join two ports (with the
// reason when it may not, shown as a tooltip while the user drags the wire).
import type { Graph, NodeCatalog, NodeDefinition, PortKind } from '@candleflow/strategy-dsl';

export const PORT_KINDS: readonly PortKind[] = [
  'candles',
  'number',
  'scalar',
  'boolean',
  'signal',
  'sizing',
  'exit',
  'order',
];

/** Legend text; colours live in editor.css as `--kind-<kind>` so both themes can tune them. */
export const PORT_KIND_LABELS: Record<PortKind, string> = {
  candles: 'candles (bars)',
  number: 'number series',
  scalar: 'constant number',
  boolean: 'true/false series',
  signal: 'signal',
  sizing: 'position size',
  exit: 'exit rule',
  order: 'order',
};

/** The compiler's rule: identical kinds, and a constant may feed any number input. */
export function canFeed(from: PortKind, to: PortKind): boolean {
  return from === to || (from === 'scalar' && to === 'number');
}

export interface ConnectionAttempt {
  readonly source: string | null;
  readonly sourceHandle?: string | null;
  readonly target: string | null;
  readonly targetHandle?: string | null;
}

/** True when `to` can reach `from` along existing edges, i.e. an edge from → to would close a loop. */
export function wouldCreateCycle(graph: Graph, from: string, to: string): boolean {
  if (from === to) return true;
  const successors = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = successors.get(e.source);
    if (list) list.push(e.target);
    else successors.set(e.source, [e.target]);
  }
  const seen = new Set<string>([to]);
  const stack = [to];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === from) return true;
    for (const next of successors.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

function definitionOf(graph: Graph, catalog: NodeCatalog, id: string): NodeDefinition | undefined {
  const node = graph.nodes.find((n) => n.id === id);
  return node ? catalog.get(node.type, node.version) : undefined;
}

/**
 * Why this wire is refused, or null when it is allowed. Handles may be given either way round
 * (xyflow reports the drag's start as source), so an input→output drag is read as output→input.
 */
export function explainConnection(graph: Graph, catalog: NodeCatalog, c: ConnectionAttempt): string | null {
  if (!c.source || !c.target || !c.sourceHandle || !c.targetHandle) return 'Drop the wire on a port.';
  if (c.source === c.target) return 'A node cannot feed itself.';
  const sourceDef = definitionOf(graph, catalog, c.source);
  const targetDef = definitionOf(graph, catalog, c.target);
  if (!sourceDef || !targetDef) return 'That node has an unknown type; fix or delete it first.';
  const output = sourceDef.outputs.find((p) => p.name === c.sourceHandle);
  const input = targetDef.inputs.find((p) => p.name === c.targetHandle);
  if (!output || !input) return 'Connect an output (right side) to an input (left side).';
  if (!canFeed(output.kind, input.kind)) {
    const hint = input.kind === 'scalar' ? '' : ` Look for an output marked ${PORT_KIND_LABELS[input.kind]}.`;
    return `${sourceDef.title} “${output.name}” gives a ${PORT_KIND_LABELS[output.kind]}, but ${targetDef.title} “${input.name}” needs a ${PORT_KIND_LABELS[input.kind]}.${hint}`;
  }
  if (
    graph.edges.some(
      (e) =>
        e.source === c.source &&
        e.sourcePort === c.sourceHandle &&
        e.target === c.target &&
        e.targetPort === c.targetHandle,
    )
  ) {
    return 'These ports are already connected.';
  }
  if (wouldCreateCycle(graph, c.source, c.target)) {
    return `This wire would make a loop: ${c.target} already feeds ${c.source}. A strategy must flow one way, from data to orders.`;
  }
  return null;
}
