// A line-at-a-time tokenizer for colouring the DSL text in the code view. It never fails: odd text just
// stays uncoloured, because the parser, not the highlighter, is what reports mistakes.

export type DslTokenClass =
  | 'keyword'
  | 'nodeId'
  | 'nodeType'
  | 'argName'
  | 'reference'
  | 'paramRef'
  | 'paramName'
  | 'typeName'
  | 'property'
  | 'string'
  | 'number'
  | 'atom'
  | 'comment';

export interface DslToken {
  /** Offsets into the line: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly cls: DslTokenClass;
}

/** Words that open a declaration line when they are not followed by `=` (then they name a node). */
export const DSL_KEYWORDS = new Set(['strategy', 'description', 'param', 'constraint', 'risk']);
const PARAM_CLAUSES = new Set(['range', 'min', 'max', 'step', 'options']);
const PARAM_TYPES = new Set(['int', 'number', 'boolean', 'string']);

const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

type LineKind = 'node' | 'param' | 'constraint' | 'risk' | 'other';

/** The index of the first character after spaces and tabs from `i`. */
function skipBlanks(line: string, i: number): number {
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

function identEnd(line: string, i: number): number {
  while (isIdentPart(line[i])) i++;
  return i;
}

/** End of a JSON-style number starting at `i`; stops before `..` so `2..50` reads as 2, .., 50. */
function numberEnd(line: string, i: number): number {
  if (line[i] === '-') i++;
  while (isDigit(line[i])) i++;
  if (line[i] === '.' && isDigit(line[i + 1])) {
    i++;
    while (isDigit(line[i])) i++;
  }
  if ((line[i] === 'e' || line[i] === 'E') && (isDigit(line[i + 1]) || /[+-]/.test(line[i + 1] ?? ''))) {
    i += 2;
    while (isDigit(line[i])) i++;
  }
  return i;
}

/** End of a string starting at the quote at `i` (the closing quote included; end of line if unclosed). */
function stringEnd(line: string, i: number): number {
  i++;
  while (i < line.length) {
    if (line[i] === '\\') i += 2;
    else if (line[i] === '"') return i + 1;
    else i++;
  }
  return line.length;
}

/** What kind of statement a line starts, judged by its first word as the parser does. */
function lineKind(line: string): LineKind {
  if (!isIdentStart(line[0])) return 'other';
  const end = identEnd(line, 0);
  const after = line[skipBlanks(line, end)];
  if (after === '=') return 'node';
  const word = line.slice(0, end);
  if (word === 'param' || word === 'constraint' || word === 'risk') return word;
  return 'other';
}

/** Colours one line of DSL text. Tokens are in order and never overlap. */
export function tokenizeLine(line: string): DslToken[] {
  const tokens: DslToken[] = [];
  const kind = lineKind(line);
  const push = (from: number, to: number, cls: DslTokenClass) => tokens.push({ from, to, cls });
  let previous = ''; // the last significant character or word, for context
  let depth = 0; // parentheses and brackets
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      push(i, line.length, 'comment');
      break;
    }
    if (c === '"') {
      const end = stringEnd(line, i);
      push(i, end, 'string');
      previous = '"';
      i = end;
      continue;
    }
    if (c === '$' && isIdentStart(line[i + 1])) {
      const end = identEnd(line, i + 1);
      push(i, end, 'paramRef');
      previous = '$';
      i = end;
      continue;
    }
    if (isDigit(c) || (c === '-' && isDigit(line[i + 1]))) {
      const end = numberEnd(line, i);
      push(i, end, 'number');
      previous = '0';
      i = end;
      continue;
    }
    if (isIdentStart(c)) {
      const end = identEnd(line, i);
      const word = line.slice(i, end);
      const next = skipBlanks(line, end);
      const after = line[next];
      if (line[end] === '.' && isIdentStart(line[end + 1])) {
        // `node.port`: one reference, coloured as a whole so the eye finds the wiring.
        const portEnd = identEnd(line, end + 1);
        push(i, portEnd, 'reference');
        previous = 'ref';
        i = portEnd;
        continue;
      }
      const cls = classifyWord(word, i, kind, previous, after, depth);
      if (cls) push(i, end, cls);
      previous = word;
      i = end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    previous = c;
    i++;
  }
  return tokens;
}

function classifyWord(
  word: string,
  at: number,
  kind: LineKind,
  previous: string,
  after: string | undefined,
  depth: number,
): DslTokenClass | null {
  if (at === 0 && kind === 'node') return 'nodeId';
  if (at === 0 && DSL_KEYWORDS.has(word)) return 'keyword';
  if (word === 'true' || word === 'false') return 'atom';
  if (kind === 'node' && previous === '=' && depth === 0) return 'nodeType';
  if (kind === 'param') {
    if (previous === 'param') return 'paramName';
    if (previous === ':' && PARAM_TYPES.has(word)) return 'typeName';
    if (PARAM_CLAUSES.has(word)) return 'keyword';
  }
  if (kind === 'constraint') return 'paramName';
  if (after === ':' && depth > 0) return 'argName';
  // Risk settings, on the risk line or on its indented continuation lines.
  if (after === '=' && (kind === 'risk' || at > 0)) return 'property';
  if (after === ':') return 'argName';
  return null;
}
