// What the code view makes of the text the user typed: problems placed at offsets in the text, and the
// graph to send back to the canvas when (and only when) the edit is safe to apply.
import {
  compile,
  type Diagnostic,
  type DiagnosticCode,
  type Graph,
  mergePositions,
  type NodeCatalog,
  parseText,
  printGraph,
} from '@candleflow/strategy-dsl';

export interface TextProblem {
  /** Offsets into the text: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly severity: 'error' | 'warning';
  readonly code: DiagnosticCode;
  /** The message with its hint, without the "line L, column C:" prefix (the editor shows the place). */
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly nodeId?: string;
}

/**
 * - `syntax`: the text does not parse; the canvas keeps its graph.
 * - `blocked`: it parses but would add compile errors the canvas graph does not have; the canvas keeps its graph.
 * - `unchanged`: it means the same graph as the canvas (formatting or comments differ at most).
 * - `apply`: a valid edit; `graph` (with the canvas positions carried over) should replace the canvas graph.
 */
export type TextStatus = 'syntax' | 'blocked' | 'unchanged' | 'apply';

export interface TextAnalysis {
  readonly status: TextStatus;
  readonly problems: readonly TextProblem[];
  /** Set for `apply` only. */
  readonly graph: Graph | null;
  /** The canonical text of what the text means, when it parses: the code view's sync key. */
  readonly canonical: string | null;
  /** For `blocked`: the errors that the edit would introduce. */
  readonly introduced: readonly TextProblem[];
}

/** Start offset of each line (index 0 = line 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Offsets of a 1-based line without its line break (and without a trailing \r). */
function lineRange(text: string, starts: readonly number[], line: number): { from: number; to: number } {
  const index = Math.min(Math.max(line, 1), starts.length) - 1;
  const from = starts[index]!;
  let to = index + 1 < starts.length ? starts[index + 1]! - 1 : text.length;
  if (to > from && text[to - 1] === '\r') to--;
  return { from, to };
}

const WORD = /[A-Za-z0-9_$.]/;

/** The word (identifier, reference, number) at an offset, or a one-character span when there is none. */
function spanAt(text: string, from: number, lineEnd: number): { from: number; to: number } {
  let to = from;
  while (to < lineEnd && WORD.test(text[to]!)) to++;
  if (to === from && from < lineEnd) to = from + 1;
  return { from, to };
}

function stripPlace(message: string): string {
  return message.replace(/^line \d+, column \d+: /, '');
}

function describe(d: Diagnostic): string {
  const message = stripPlace(d.message);
  return d.hint ? `${message} — ${d.hint}` : message;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The lines of the statement that starts on `line`: it runs until the next line that starts a statement. */
function statementRange(text: string, starts: readonly number[], line: number): { from: number; to: number } {
  const first = lineRange(text, starts, line);
  let last = first;
  for (let next = line + 1; next <= starts.length; next++) {
    const range = lineRange(text, starts, next);
    const head = text[range.from];
    if (head !== undefined && /[A-Za-z_]/.test(head)) break;
    last = range;
  }
  return { from: first.from, to: last.to };
}

/** Where a compile diagnostic belongs in the text: the port or param argument, else the node id, else the declaration. */
function placeCompileDiagnostic(
  d: Diagnostic,
  text: string,
  starts: readonly number[],
  nodeLines: Readonly<Record<string, number>>,
): { from: number; to: number } {
  const find = (pattern: RegExp, within: { from: number; to: number }) => {
    const match = pattern.exec(text.slice(within.from, within.to));
    if (!match) return null;
    const from = within.from + match.index + (match[1]?.length ?? 0);
    return { from, to: from + (match[2]?.length ?? 1) };
  };
  const whole = { from: 0, to: text.length };
  const nodeLine = d.nodeId !== undefined ? nodeLines[d.nodeId] : undefined;
  if (d.nodeId !== undefined && nodeLine !== undefined) {
    const statement = statementRange(text, starts, nodeLine);
    for (const name of [d.port, d.param]) {
      if (name === undefined) continue;
      const hit = find(new RegExp(`([(,\\s])(${escapeRegExp(name)})\\s*:`), statement);
      if (hit) return hit;
    }
    const id = lineRange(text, starts, nodeLine);
    return { from: id.from, to: id.from + d.nodeId.length };
  }
  if (d.nodeId !== undefined) {
    // A node the text only mentions (an edge into or out of a missing node): point at the reference.
    const hit = find(new RegExp(`(^|[^A-Za-z0-9_])(${escapeRegExp(d.nodeId)})\\.`, 'm'), whole);
    if (hit) return hit;
  }
  if (d.param !== undefined) {
    const hit = find(new RegExp(`(^param[ \\t]+)(${escapeRegExp(d.param)})\\b`, 'm'), whole);
    if (hit) return hit;
  }
  if (d.code === 'CONSTRAINT_VIOLATED' || d.code === 'INVALID_CONSTRAINT') {
    const hit = find(/(^)(constraint)\b/m, whole);
    if (hit) return hit;
  }
  // Whole-strategy problems (no order node, …) belong to the `strategy` line.
  const hit = find(/(^)(strategy)\b/m, whole);
  return hit ?? lineRange(text, starts, 1);
}

function toProblem(
  d: Diagnostic,
  range: { from: number; to: number },
  starts: readonly number[],
): TextProblem {
  let line = 1;
  while (line < starts.length && starts[line]! <= range.from) line++;
  return {
    from: range.from,
    to: range.to,
    severity: d.severity,
    code: d.code,
    message: describe(d),
    line,
    column: range.from - starts[line - 1]! + 1,
    ...(d.nodeId !== undefined && { nodeId: d.nodeId }),
  };
}

/** Places parser diagnostics (1-based line and column) at offsets in the text. */
export function placeSyntaxDiagnostics(text: string, diagnostics: readonly Diagnostic[]): TextProblem[] {
  const starts = lineStarts(text);
  return diagnostics.map((d) => {
    const line = lineRange(text, starts, d.line ?? 1);
    const from = Math.min(line.from + Math.max((d.column ?? 1) - 1, 0), line.to);
    return toProblem(d, spanAt(text, from, line.to), starts);
  });
}

function errorKey(d: Diagnostic): string {
  return `${d.code}|${d.nodeId ?? ''}|${d.port ?? ''}|${d.param ?? ''}`;
}

// Compiling the canvas graph once per graph object is enough: the store replaces the object on every edit.
const baselineErrors = new WeakMap<Graph, Set<string>>();
const printed = new WeakMap<Graph, string>();

/** The canonical text of a graph, cached per graph object. */
export function printGraphCached(graph: Graph): string {
  let text = printed.get(graph);
  if (text === undefined) {
    text = printGraph(graph);
    printed.set(graph, text);
  }
  return text;
}

function errorsOf(graph: Graph, catalog: NodeCatalog): Set<string> {
  let keys = baselineErrors.get(graph);
  if (!keys) {
    keys = new Set(
      compile(graph, catalog)
        .diagnostics.filter((d) => d.severity === 'error')
        .map(errorKey),
    );
    baselineErrors.set(graph, keys);
  }
  return keys;
}

/**
 * Reads the text against the canvas graph it was edited from. An edit is applied when it parses and adds
 * no compile error the canvas graph did not already have: the code view never makes the graph worse, yet a
 * half-built strategy (say, one input still missing) can still be edited as text.
 */
export function analyzeText(text: string, current: Graph, catalog: NodeCatalog): TextAnalysis {
  const parsed = parseText(text);
  if (!parsed.ok) {
    return {
      status: 'syntax',
      problems: placeSyntaxDiagnostics(text, parsed.diagnostics),
      graph: null,
      canonical: null,
      introduced: [],
    };
  }
  const starts = lineStarts(text);
  const diagnostics = compile(parsed.graph, catalog).diagnostics;
  const problems = diagnostics.map((d) =>
    toProblem(d, placeCompileDiagnostic(d, text, starts, parsed.nodeLines), starts),
  );
  const canonical = printGraph(parsed.graph);
  if (canonical === printGraphCached(current)) {
    return { status: 'unchanged', problems, graph: null, canonical, introduced: [] };
  }
  const before = errorsOf(current, catalog);
  const introduced = problems.filter(
    (_, i) => diagnostics[i]!.severity === 'error' && !before.has(errorKey(diagnostics[i]!)),
  );
  if (introduced.length > 0) {
    return { status: 'blocked', problems, graph: null, canonical, introduced };
  }
  return {
    status: 'apply',
    problems,
    graph: mergePositions(current, parsed.graph),
    canonical,
    introduced: [],
  };
}

/**
 * The smallest single replacement turning `from` into `to` (common prefix and suffix kept), so the editor
 * keeps the cursor and scroll position when the canvas changes the text under it.
 */
export function minimalChange(from: string, to: string): { from: number; to: number; insert: string } | null {
  if (from === to) return null;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let endFrom = from.length;
  let endTo = to.length;
  while (endFrom > start && endTo > start && from.charCodeAt(endFrom - 1) === to.charCodeAt(endTo - 1)) {
    endFrom--;
    endTo--;
  }
  return { from: start, to: endFrom, insert: to.slice(start, endTo) };
}
