// Diagnostics mapped onto the canvas: per node (badge, red border) and per port (handle ring), plus the
// ordering of the error list (errors first, then by node).
import type { Diagnostic } from '@candleflow/strategy-dsl';

export type Severity = Diagnostic['severity'];

export interface NodeDiagnostics {
  readonly severity: Severity;
  readonly errors: number;
  readonly warnings: number;
  /** Worst severity per port name. */
  readonly ports: Readonly<Record<string, Severity>>;
  /** First message, for the badge's tooltip. */
  readonly messages: readonly string[];
}

const worse = (a: Severity | undefined, b: Severity): Severity =>
  a === 'error' || b === 'error' ? 'error' : b;

/** Groups diagnostics by node id; diagnostics without a node belong to the strategy and are skipped. */
export function diagnosticsByNode(diagnostics: readonly Diagnostic[]): Map<string, NodeDiagnostics> {
  const acc = new Map<
    string,
    {
      severity: Severity;
      errors: number;
      warnings: number;
      ports: Record<string, Severity>;
      messages: string[];
    }
  >();
  for (const d of diagnostics) {
    if (d.nodeId === undefined) continue;
    let entry = acc.get(d.nodeId);
    if (!entry) {
      entry = { severity: d.severity, errors: 0, warnings: 0, ports: {}, messages: [] };
      acc.set(d.nodeId, entry);
    }
    entry.severity = worse(entry.severity, d.severity);
    if (d.severity === 'error') entry.errors++;
    else entry.warnings++;
    if (d.port !== undefined) entry.ports[d.port] = worse(entry.ports[d.port], d.severity);
    entry.messages.push(d.message);
  }
  return acc as Map<string, NodeDiagnostics>;
}

/**
 * Keeps the previous NodeDiagnostics object when a node's diagnostics did not change, so memoised
 * node components whose problems are the same do not re-render after every compile.
 */
export function stableDiagnosticsByNode(
  previous: ReadonlyMap<string, NodeDiagnostics>,
  next: Map<string, NodeDiagnostics>,
): Map<string, NodeDiagnostics> {
  for (const [id, entry] of next) {
    const old = previous.get(id);
    if (old && sameNodeDiagnostics(old, entry)) next.set(id, old);
  }
  return next;
}

function sameNodeDiagnostics(a: NodeDiagnostics, b: NodeDiagnostics): boolean {
  if (a.severity !== b.severity || a.errors !== b.errors || a.warnings !== b.warnings) return false;
  if (a.messages.length !== b.messages.length || a.messages.some((m, i) => m !== b.messages[i])) return false;
  const ak = Object.keys(a.ports);
  return ak.length === Object.keys(b.ports).length && ak.every((k) => a.ports[k] === b.ports[k]);
}

/** Errors before warnings; within a severity, keep the compiler's order (it follows the graph). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.severity === b.d.severity ? a.i - b.i : a.d.severity === 'error' ? -1 : 1))
    .map(({ d }) => d);
}

/** Diagnostics the server attached to a COMPILE_FAILED error (`error.data.details.diagnostics`). */
export function diagnosticsFromServerError(error: unknown): Diagnostic[] {
  const data = (error as { data?: { code?: unknown; details?: unknown } } | null)?.data;
  const list = (data?.details as { diagnostics?: unknown } | undefined)?.diagnostics;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (d): d is Diagnostic =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as Diagnostic).code === 'string' &&
      typeof (d as Diagnostic).message === 'string' &&
      ((d as Diagnostic).severity === 'error' || (d as Diagnostic).severity === 'warning'),
  );
}
