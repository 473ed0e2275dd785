// The numbered catalogue of compile diagnostics. Codes are stable: the studio, the API and tests key on them.

export const DIAGNOSTIC_CODES = {
  INVALID_GRAPH: 'The graph file does not have the shape of a Candleflow graph.',
  DUPLICATE_NODE_ID: 'Two nodes share one id.',
  UNKNOWN_NODE_TYPE: 'No node of this type exists in the catalog.',
  UNKNOWN_NODE_VERSION: 'The node type exists, but not in this version.',
  UNKNOWN_PORT: 'An edge names a port the node does not have.',
  UNKNOWN_EDGE_NODE: 'An edge names a node that is not in the graph.',
  DUPLICATE_INPUT: 'A single input has more than one edge.',
  CYCLE: 'The graph loops back on itself.',
  MISSING_INPUT: 'A required input is not connected.',
  TYPE_MISMATCH: 'An edge connects ports of incompatible types.',
  INVALID_PARAM: 'A node parameter is invalid.',
  UNKNOWN_STRATEGY_PARAM: 'A node refers to a strategy parameter that is not declared.',
  INVALID_STRATEGY_PARAM: 'A strategy parameter declaration or value is invalid.',
  CONSTRAINT_VIOLATED: 'Strategy parameter values break a declared constraint.',
  INVALID_CONSTRAINT: 'A constraint cannot be read.',
  TIMEFRAME_MISMATCH: 'Series of different timeframes are combined without a resample node.',
  LOOKAHEAD_NEGATIVE_SHIFT: 'A negative lag or shift would read future bars.',
  LOOKAHEAD_HIGHER_TIMEFRAME: 'A higher-timeframe series would be used before its bar has closed.',
  LOOKAHEAD_SAME_BAR: "An order would fill at a bar's open using that bar's later prices.",
  AMBIGUOUS_SYMBOL: 'An order mixes data from several symbols and does not say which one it trades.',
  NO_ORDERS: 'The strategy has no order node, so it can never trade.',
  GRAPH_TOO_LARGE: 'The graph has more nodes than allowed.',
  UNUSED_NODE: 'A node does not contribute to any order (warning).',
  SYNTAX_ERROR: 'The DSL text cannot be parsed.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  /** A sentence a trader understands. */
  readonly message: string;
  readonly nodeId?: string;
  readonly port?: string;
  readonly param?: string;
  /** What to do about it. */
  readonly hint?: string;
  /** For DSL text: 1-based position. */
  readonly line?: number;
  readonly column?: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [
    d.line !== undefined ? `line ${d.line}:${d.column ?? 1}` : undefined,
    d.nodeId !== undefined ? `node ${d.nodeId}` : undefined,
    d.port !== undefined ? `port ${d.port}` : undefined,
    d.param !== undefined ? `param ${d.param}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `${d.severity} ${d.code}${where ? ` (${where})` : ''}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}

/** Thrown by APIs that cannot return diagnostics (e.g. loading a strategy for a run). */
export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n'),
    );
    this.name = 'CompileError';
  }
}
