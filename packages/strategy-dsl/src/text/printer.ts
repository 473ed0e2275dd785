// Prints a Graph as canonical DSL text: the form the code view and the marketplace show, and the form
// `formatText` normalises to. Works on the graph alone; no node catalog.
import {
  type Graph,
  type GraphEdge,
  type GraphNode,
  IDENTIFIER,
  type ParamValue,
  type RiskSettings,
  RiskSettingsSchema,
  type StrategyParam,
} from '../graph';

/** Statements longer than this are wrapped one argument per line. */
export const MAX_LINE_LENGTH = 100;
const INDENT = '  ';

/** Risk keys in schema order, which is the order the `risk` line prints them in. */
export const RISK_KEYS = Object.keys(RiskSettingsSchema.shape) as (keyof RiskSettings)[];

/** Shortest form that reads back to the same number; -0 keeps its sign (String(-0) would print 0). */
export function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

export function formatString(s: string): string {
  return JSON.stringify(s);
}

export function formatLiteral(value: ParamValue): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return formatString(value);
  if (typeof value === 'boolean') return String(value);
  return `$${value.$param}`;
}

/** An argument or key name: bare when it is an identifier, quoted otherwise (node params are any string). */
function formatName(name: string): string {
  return IDENTIFIER.test(name) ? name : formatString(name);
}

/** The inputs of one node, grouped by port at the port's first edge, each port's edges in graph order. */
function inputsByPort(edges: readonly GraphEdge[], nodeId: string): Map<string, GraphEdge[]> {
  const ports = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    if (edge.target !== nodeId) continue;
    const list = ports.get(edge.targetPort);
    if (list) list.push(edge);
    else ports.set(edge.targetPort, [edge]);
  }
  return ports;
}

/** Ids of the nodes whose statement prints the edges into them: the first node with each id. */
function firstNodes(graph: Graph): GraphNode[] {
  const seen = new Set<string>();
  return graph.nodes.filter((node) => !seen.has(node.id) && seen.add(node.id));
}

/**
 * The edges in the order the text lists them, which is the order `parseText` returns them in: by target
 * node in node order, then by port at its first edge, then in graph order. Edges into nodes that are
 * not in the graph have no statement to live in and are left out (printGraph notes them in a comment).
 */
export function canonicalEdgeOrder(graph: Graph): GraphEdge[] {
  return firstNodes(graph).flatMap((node) => [...inputsByPort(graph.edges, node.id).values()].flat());
}

function reference(edge: GraphEdge): string {
  return `${edge.source}.${edge.sourcePort}`;
}

function printNode(node: GraphNode, inputs: Map<string, GraphEdge[]>, printed: boolean): string {
  const args: string[] = [];
  if (!printed) {
    for (const [port, edges] of inputs) {
      const value = edges.length === 1 ? reference(edges[0]!) : `[${edges.map(reference).join(', ')}]`;
      args.push(`${port}: ${value}`);
    }
  }
  for (const [name, value] of Object.entries(node.params))
    args.push(`${formatName(name)}: ${formatLiteral(value)}`);
  const head = `${node.id} = ${node.type}${node.version === 1 ? '' : `@${node.version}`}(`;
  const oneLine = `${head}${args.join(', ')})`;
  if (oneLine.length <= MAX_LINE_LENGTH || args.length === 0) return oneLine;
  return `${head}\n${args.map((arg) => `${INDENT}${arg}`).join(',\n')}\n)`;
}

function printParam(param: StrategyParam): string {
  let line = `param ${param.name}: ${param.type} = ${formatLiteral(param.default)}`;
  if (param.min !== undefined && param.max !== undefined) {
    line += ` range ${formatNumber(param.min)}..${formatNumber(param.max)}`;
  } else if (param.min !== undefined) {
    line += ` min ${formatNumber(param.min)}`;
  } else if (param.max !== undefined) {
    line += ` max ${formatNumber(param.max)}`;
  }
  if (param.step !== undefined) line += ` step ${formatNumber(param.step)}`;
  if (param.options !== undefined) line += ` options [${param.options.map(formatString).join(', ')}]`;
  if (param.description !== undefined) line += ` ${formatString(param.description)}`;
  return line;
}

/**
 * Constraints print bare (`constraint fast < slow`) when they read back exactly that way, and quoted
 * otherwise: empty, surrounding spaces, `#` (a comment), control characters, or a leading `"` or `=`.
 */
export function printConstraint(constraint: string): string {
  const bare =
    constraint.length > 0 &&
    !/^[ \t"=]|[ \t]$/.test(constraint) &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be quoted.
    !/[#\u0000-\u001f\u007f]/.test(constraint);
  return `constraint ${bare ? constraint : formatString(constraint)}`;
}

function printRisk(risk: RiskSettings): string {
  const entries = RISK_KEYS.filter((key) => risk[key] !== undefined).map(
    (key) => `${key} = ${formatLiteral(risk[key] as ParamValue)}`,
  );
  if (entries.length === 0) return 'risk {}';
  const oneLine = `risk ${entries.join(', ')}`;
  if (oneLine.length <= MAX_LINE_LENGTH) return oneLine;
  return `risk ${entries.join(`,\n${INDENT}`)}`;
}

/** Canonical text of a graph; ends with exactly one newline. Positions and schemaVersion are not printed. */
export function printGraph(graph: Graph): string {
  const sections: string[][] = [];
  const header = [`strategy ${formatString(graph.name)}`];
  if (graph.description !== undefined) header.push(`description ${formatString(graph.description)}`);
  sections.push(header);
  sections.push([...graph.params.map(printParam), ...graph.constraints.map(printConstraint)]);
  if (graph.risk !== undefined) sections.push([printRisk(graph.risk)]);
  const printedIds = new Set<string>();
  const nodeIds = new Set(graph.nodes.map((node) => node.id));
  sections.push(
    graph.nodes.map((node) => {
      const text = printNode(node, inputsByPort(graph.edges, node.id), printedIds.has(node.id));
      printedIds.add(node.id);
      return text;
    }),
  );
  const dangling = graph.edges.filter((edge) => !nodeIds.has(edge.target));
  if (dangling.length > 0) {
    sections.push(
      dangling.map(
        (edge) =>
          `# dropped: edge ${reference(edge)} -> ${edge.target}.${edge.targetPort} goes into a node that does not exist`,
      ),
    );
  }
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
