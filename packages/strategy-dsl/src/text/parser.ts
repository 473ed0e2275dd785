// Recursive-descent parser for the DSL text: text → Graph, with diagnostics that name the line and column.
// Syntax alone separates inputs (references `node.port`) from parameters (literals), so no catalog is needed.
import type { Diagnostic, DiagnosticCode } from '../errors';
import {
  GRAPH_SCHEMA_VERSION,
  type Graph,
  type GraphEdge,
  type GraphInput,
  GraphSchema,
  type ParamValue,
  type RiskSettings,
  type StrategyParam,
} from '../graph';
import { describeToken, Lexer, TextError, type Token } from './lexer';
import { RISK_KEYS } from './printer';

export type ParseTextResult =
  | { readonly ok: true; readonly graph: Graph; readonly nodeLines: Record<string, number> }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

const KEYWORDS = 'strategy, description, param, constraint or risk';
const PARAM_TYPES = new Set(['int', 'number', 'boolean', 'string']);

/** Where a piece of the graph came from, so schema failures can point at the text. */
interface Place {
  readonly line: number;
  readonly column: number;
  /** What the piece is, for the message: "node 'fast_ema'", "risk setting 'cooldownBars'". */
  readonly subject: string;
  readonly nodeId?: string;
  readonly param?: string;
}

interface NodeDraft {
  id: string;
  type: string;
  version: number;
  params: [string, ParamValue][];
  position: { x: number; y: number };
}

type ArgumentValue = { kind: 'input'; refs: Token[][] } | { kind: 'param'; value: ParamValue };

const placeOf = (token: Token, subject: string, extra: Partial<Place> = {}): Place => ({
  line: token.line,
  column: token.column,
  subject,
  ...extra,
});

function expected(what: string, found: Token): TextError {
  return new TextError(
    `line ${found.line}, column ${found.column}: expected ${what}, found ${describeToken(found)}`,
    found.line,
    found.column,
  );
}

function errorAt(token: Token, message: string): TextError {
  return new TextError(`line ${token.line}, column ${token.column}: ${message}`, token.line, token.column);
}

const isPunct = (token: Token, text: string) => token.kind === 'punct' && token.text === text;

class Parser {
  private readonly lexer: Lexer;
  readonly diagnostics: Diagnostic[] = [];
  private name: { value: string; token: Token } | undefined;
  private description: { value: string; token: Token } | undefined;
  private readonly params: StrategyParam[] = [];
  private readonly constraints: string[] = [];
  private risk: { value: Partial<Record<keyof RiskSettings, ParamValue>>; token: Token } | undefined;
  private readonly nodes: NodeDraft[] = [];
  private readonly edges: GraphEdge[] = [];
  readonly nodeLines = new Map<string, number>();
  private readonly paramLines = new Map<string, number>();
  /** Keyed by the graph path joined with '/', e.g. `nodes/2/params/period`. */
  readonly places = new Map<string, Place>();

  constructor(text: string) {
    this.lexer = new Lexer(text);
  }

  parse(): void {
    for (;;) {
      try {
        // Inside the try: peeking lexes the next token, which can itself be the error.
        if (this.skipNewlines().kind === 'eof') break;
        this.statement();
      } catch (error) {
        if (!(error instanceof TextError)) throw error;
        this.report('SYNTAX_ERROR', error.message, error.line, error.column);
        this.lexer.skipToStatementAfter(error.line);
      }
    }
    if (this.name === undefined) {
      this.report(
        'SYNTAX_ERROR',
        'line 1, column 1: the text has no `strategy "name"` line; add one at the top',
        1,
        1,
      );
    }
  }

  graphInput(): GraphInput {
    const graph: GraphInput = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      name: this.name?.value ?? '',
      params: this.params,
      constraints: this.constraints,
      nodes: this.nodes.map((node) => ({ ...node, params: Object.fromEntries(node.params) })),
      edges: this.edges,
    };
    if (this.description !== undefined) graph.description = this.description.value;
    if (this.risk !== undefined) graph.risk = this.risk.value as RiskSettings;
    return graph;
  }

  private report(code: DiagnosticCode, message: string, line: number, column: number, extra: object = {}) {
    this.diagnostics.push({ code, severity: 'error', message, line, column, ...extra });
  }

  private expectPunct(text: string, what: string): Token {
    const token = this.lexer.next();
    if (!isPunct(token, text)) throw expected(what, token);
    return token;
  }

  private skipNewlines(): Token {
    while (this.lexer.peek().kind === 'newline') this.lexer.next();
    return this.lexer.peek();
  }

  private endOfStatement(what: string): void {
    const token = this.lexer.peek();
    if (token.kind !== 'newline' && token.kind !== 'eof') throw expected(`end of line after ${what}`, token);
  }

  private statement(): void {
    const first = this.lexer.next();
    if (first.kind !== 'ident') {
      throw expected(`a statement (\`id = type(...)\`, or a line starting with ${KEYWORDS})`, first);
    }
    // `constraint = f(...)` is a node called constraint: an `=` after the first word makes a node statement.
    if (this.lexer.nextNonSpaceChar() === '=') {
      this.nodeStatement(first);
      return;
    }
    switch (first.text) {
      case 'strategy':
        this.strategyLine(first);
        return;
      case 'description':
        this.descriptionLine(first);
        return;
      case 'param':
        this.paramLine();
        return;
      case 'constraint':
        this.constraintLine(first);
        return;
      case 'risk':
        this.riskLine(first);
        return;
      default:
        throw expected(
          `'=' after '${first.text}' (a node statement reads \`${first.text} = type(args)\`; other lines start with ${KEYWORDS})`,
          this.lexer.peek(),
        );
    }
  }

  private stringAfter(keyword: Token, what: string): Token {
    const token = this.lexer.next();
    if (token.kind !== 'string') throw expected(`${what} in double quotes after '${keyword.text}'`, token);
    return token;
  }

  private strategyLine(keyword: Token): void {
    const token = this.stringAfter(keyword, 'the strategy name');
    if (this.name !== undefined) {
      throw errorAt(
        keyword,
        `the strategy name is already given on line ${this.name.token.line}; keep one strategy line`,
      );
    }
    this.endOfStatement('the strategy name');
    this.name = { value: token.value as string, token };
    this.places.set('name', placeOf(token, 'the strategy name'));
  }

  private descriptionLine(keyword: Token): void {
    const token = this.stringAfter(keyword, 'the description');
    if (this.description !== undefined) {
      throw errorAt(
        keyword,
        `the description is already given on line ${this.description.token.line}; keep one`,
      );
    }
    this.endOfStatement('the description');
    this.description = { value: token.value as string, token };
    this.places.set('description', placeOf(token, 'the description'));
  }

  private number(what: string): number {
    const token = this.lexer.next();
    if (token.kind !== 'number') throw expected(what, token);
    return token.value as number;
  }

  private paramLine(): void {
    const nameToken = this.lexer.next();
    if (nameToken.kind !== 'ident') throw expected("a parameter name after 'param'", nameToken);
    const name = nameToken.text;
    this.expectPunct(':', `':' and a type after parameter '${name}' (like param ${name}: int = 14)`);
    const typeToken = this.lexer.next();
    if (typeToken.kind !== 'ident' || !PARAM_TYPES.has(typeToken.text)) {
      throw expected(`a parameter type (int, number, boolean or string) for '${name}'`, typeToken);
    }
    this.expectPunct('=', `'=' and a default value after the type of parameter '${name}'`);
    const defaultToken = this.lexer.next();
    let defaultValue: number | string | boolean;
    if (defaultToken.kind === 'number' || defaultToken.kind === 'string') defaultValue = defaultToken.value;
    else if (
      defaultToken.kind === 'ident' &&
      (defaultToken.text === 'true' || defaultToken.text === 'false')
    ) {
      defaultValue = defaultToken.text === 'true';
    } else
      throw expected(
        `a default value for parameter '${name}' (a number, a string, true or false)`,
        defaultToken,
      );

    const param: StrategyParam = {
      name,
      type: typeToken.text as StrategyParam['type'],
      default: defaultValue,
    };
    const once = (clause: Token, field: keyof StrategyParam) => {
      if (param[field] !== undefined) {
        throw errorAt(
          clause,
          `${field === 'description' ? 'a description' : `'${field}'`} is given twice for parameter '${name}'`,
        );
      }
    };
    for (;;) {
      const clause = this.lexer.peek();
      if (clause.kind === 'newline' || clause.kind === 'eof') break;
      this.lexer.next();
      if (clause.kind === 'string') {
        once(clause, 'description');
        param.description = clause.value as string;
      } else if (clause.kind === 'ident' && clause.text === 'range') {
        once(clause, 'min');
        once(clause, 'max');
        param.min = this.number(`the lowest value after 'range' (like range 2..50)`);
        this.expectPunct('..', `'..' between the ends of the range of '${name}' (like range 2..50)`);
        param.max = this.number(`the highest value after '..' in the range of '${name}'`);
      } else if (
        clause.kind === 'ident' &&
        (clause.text === 'min' || clause.text === 'max' || clause.text === 'step')
      ) {
        once(clause, clause.text);
        param[clause.text] = this.number(`a number after '${clause.text}'`);
      } else if (clause.kind === 'ident' && clause.text === 'options') {
        once(clause, 'options');
        param.options = this.options(name);
      } else {
        throw expected(
          `range, min, max, step, options, a description string or end of line in parameter '${name}'`,
          clause,
        );
      }
    }
    const earlier = this.paramLines.get(name);
    if (earlier !== undefined) {
      this.report(
        'INVALID_STRATEGY_PARAM',
        `line ${nameToken.line}, column ${nameToken.column}: parameter '${name}' is already declared on line ${earlier}; rename or remove one`,
        nameToken.line,
        nameToken.column,
        { param: name },
      );
      return;
    }
    this.paramLines.set(name, nameToken.line);
    this.places.set(
      `params/${this.params.length}`,
      placeOf(nameToken, `parameter '${name}'`, { param: name }),
    );
    this.params.push(param);
  }

  private options(name: string): string[] {
    this.expectPunct('[', `'[' after 'options' (like options ["atr", "percent"])`);
    const values: string[] = [];
    for (;;) {
      const token = this.skipNewlines();
      if (isPunct(token, ']')) break;
      this.lexer.next();
      if (token.kind !== 'string')
        throw expected(`a quoted option or ']' in the options of '${name}'`, token);
      values.push(token.value as string);
      const after = this.skipNewlines();
      if (isPunct(after, ',')) this.lexer.next();
      else if (!isPunct(after, ']')) throw expected(`',' or ']' after an option of '${name}'`, after);
    }
    this.lexer.next();
    return values;
  }

  private constraintLine(keyword: Token): void {
    let constraint: string;
    let place: Place;
    if (this.lexer.nextNonSpaceChar() === '"') {
      const token = this.lexer.next();
      this.endOfStatement('the quoted constraint');
      constraint = token.value as string;
      place = placeOf(token, 'the constraint');
    } else {
      const raw = this.lexer.restOfLine();
      if (raw.text === '') {
        throw new TextError(
          `line ${raw.line}, column ${raw.column}: expected a constraint after 'constraint' (like constraint fast < slow)`,
          raw.line,
          raw.column,
        );
      }
      constraint = raw.text;
      place = { line: keyword.line, column: raw.column, subject: 'the constraint' };
    }
    this.places.set(`constraints/${this.constraints.length}`, place);
    this.constraints.push(constraint);
  }

  private riskLine(keyword: Token): void {
    if (this.risk !== undefined) {
      throw errorAt(
        keyword,
        `risk settings are already given on line ${this.risk.token.line}; keep one risk line`,
      );
    }
    const value: Partial<Record<keyof RiskSettings, ParamValue>> = {};
    if (isPunct(this.lexer.peek(), '{')) {
      this.lexer.next();
      this.expectPunct('}', "'}' after '{' (risk {} means risk settings with no caps)");
    } else {
      for (;;) {
        const key = this.lexer.next();
        if (key.kind !== 'ident') {
          throw expected('a risk setting like maxPositionPct = 50 (or {} for none)', key);
        }
        if (!(RISK_KEYS as string[]).includes(key.text)) {
          throw errorAt(key, `'${key.text}' is not a risk setting; the settings are ${RISK_KEYS.join(', ')}`);
        }
        const name = key.text as keyof RiskSettings;
        if (value[name] !== undefined) throw errorAt(key, `risk setting '${name}' is given twice`);
        this.expectPunct('=', `'=' and a value after risk setting '${name}'`);
        value[name] = this.literal(`a value for risk setting '${name}' (a number, true or false)`);
        this.places.set(`risk/${name}`, placeOf(key, `risk setting '${name}'`));
        if (!isPunct(this.lexer.peek(), ',')) break;
        this.lexer.next();
        this.skipNewlines();
      }
    }
    this.endOfStatement('the risk settings');
    this.risk = { value, token: keyword };
    this.places.set('risk', placeOf(keyword, 'the risk settings'));
  }

  /** A parameter literal: number, string, true, false or $param. */
  private literal(what: string): ParamValue {
    const token = this.lexer.next();
    if (token.kind === 'number' || token.kind === 'string') return token.value;
    if (token.kind === 'paramref') return { $param: token.value as string };
    if (token.kind === 'ident' && (token.text === 'true' || token.text === 'false'))
      return token.text === 'true';
    throw expected(what, token);
  }

  private nodeStatement(idToken: Token): void {
    const id = idToken.text;
    this.lexer.next(); // '=': nextNonSpaceChar saw it.
    const typeToken = this.lexer.next();
    if (typeToken.kind !== 'ident') throw expected(`a node type after '${id} =' (like ema(...))`, typeToken);
    let version = 1;
    if (isPunct(this.lexer.peek(), '@')) {
      this.lexer.next();
      const versionToken = this.lexer.next();
      const n = versionToken.value;
      if (versionToken.kind !== 'number' || !Number.isInteger(n) || (n as number) < 1) {
        throw expected(`a version number of 1 or more after '${typeToken.text}@'`, versionToken);
      }
      version = n as number;
    }
    this.expectPunct('(', `'(' after the node type '${typeToken.text}'`);
    const args = this.arguments(id);
    this.endOfStatement(`the statement of node '${id}'`);

    const earlier = this.nodeLines.get(id);
    if (earlier !== undefined) {
      this.report(
        'DUPLICATE_NODE_ID',
        `line ${idToken.line}, column ${idToken.column}: node id '${id}' is already used on line ${earlier}; rename one of the two nodes`,
        idToken.line,
        idToken.column,
        { nodeId: id },
      );
      return;
    }
    const index = this.nodes.length;
    this.nodeLines.set(id, idToken.line);
    this.places.set(`nodes/${index}`, placeOf(idToken, `node '${id}'`, { nodeId: id }));
    const node: NodeDraft = { id, type: typeToken.text, version, params: [], position: { x: 0, y: 0 } };
    for (const [nameToken, value] of args) {
      const name = nameToken.value as string;
      if (value.kind === 'param') {
        this.places.set(
          `nodes/${index}/params/${name}`,
          placeOf(nameToken, `parameter '${name}' of node '${id}'`, { nodeId: id, param: name }),
        );
        node.params.push([name, value.value]);
        continue;
      }
      for (const [source, port] of value.refs) {
        this.places.set(
          `edges/${this.edges.length}`,
          placeOf(source!, `input '${name}' of node '${id}'`, { nodeId: id }),
        );
        this.edges.push({ source: source!.text, sourcePort: port!.text, target: id, targetPort: name });
      }
    }
    this.nodes.push(node);
  }

  /** `name: value` pairs up to and including the closing ')'. Newlines inside the parentheses are free. */
  private arguments(nodeId: string): [Token, ArgumentValue][] {
    const args: [Token, ArgumentValue][] = [];
    const seen = new Map<string, Token>();
    for (;;) {
      const nameToken = this.skipNewlines();
      if (isPunct(nameToken, ')')) break;
      this.lexer.next();
      if (nameToken.kind !== 'ident' && nameToken.kind !== 'string') {
        throw expected(`an argument name or ')' in node '${nodeId}'`, nameToken);
      }
      const name = nameToken.value as string;
      const first = seen.get(name);
      if (first !== undefined) {
        throw errorAt(
          nameToken,
          `argument '${name}' is given twice in node '${nodeId}' (first at column ${first.column} of line ${first.line}); ` +
            `list several inputs as ${name}: [a.x, b.y]`,
        );
      }
      seen.set(name, nameToken);
      this.expectPunct(':', `':' after argument name '${name}'`);
      args.push([nameToken, this.argumentValue(name)]);
      // A newline directly after a value must lead to ',' or ')': report it at the end of the line, so
      // recovery resumes at the next statement instead of swallowing it.
      const after = this.lexer.peek();
      const next = this.skipNewlines();
      if (isPunct(next, ',')) this.lexer.next();
      else if (!isPunct(next, ')')) throw expected(`',' or ')' after argument '${name}'`, after);
    }
    this.lexer.next();
    return args;
  }

  private argumentValue(name: string): ArgumentValue {
    const token = this.lexer.peek();
    if (isPunct(token, '[')) {
      this.lexer.next();
      const refs: Token[][] = [];
      for (;;) {
        const item = this.skipNewlines();
        if (isPunct(item, ']')) {
          if (refs.length === 0) {
            throw errorAt(
              token,
              `the list of argument '${name}' is empty; connect at least one output (${name}: [a.value, b.value]) or remove the argument`,
            );
          }
          break;
        }
        refs.push(this.reference(name, true));
        const after = this.skipNewlines();
        if (isPunct(after, ',')) this.lexer.next();
        else if (!isPunct(after, ']')) throw expected(`',' or ']' in the list of argument '${name}'`, after);
      }
      this.lexer.next();
      return { kind: 'input', refs };
    }
    if (token.kind === 'ident') {
      this.lexer.next();
      const isLiteral = (token.text === 'true' || token.text === 'false') && !isPunct(this.lexer.peek(), '.');
      if (isLiteral) return { kind: 'param', value: token.text === 'true' };
      return { kind: 'input', refs: [this.referenceAfter(token, name)] };
    }
    return {
      kind: 'param',
      value: this.literal(
        `a value for argument '${name}': a reference like node.port, a list [a.x, b.y], a number, a string, true, false or $param`,
      ),
    };
  }

  private reference(name: string, inList: boolean): Token[] {
    const token = this.lexer.next();
    if (token.kind !== 'ident') {
      const where = inList
        ? `in the list of argument '${name}' (lists hold only node outputs)`
        : `for '${name}'`;
      throw expected(`a reference like node.port ${where}`, token);
    }
    return this.referenceAfter(token, name);
  }

  /** The rest of `node.port` once the node id is read. */
  private referenceAfter(source: Token, name: string): Token[] {
    const dot = this.lexer.peek();
    if (!isPunct(dot, '.')) {
      throw expected(
        `'.' and a port after '${source.text}' in argument '${name}' (a node output reads ${source.text}.value; ` +
          `write $${source.text} for a strategy parameter or "${source.text}" for text)`,
        dot,
      );
    }
    this.lexer.next();
    const port = this.lexer.next();
    if (port.kind !== 'ident') throw expected(`a port name after '${source.text}.'`, port);
    const extra = this.lexer.peek();
    if (isPunct(extra, '.')) {
      throw errorAt(
        extra,
        `a reference has one dot, node.port; '${source.text}.${port.text}.' goes one level too deep`,
      );
    }
    return [source, port];
  }
}

/** Turns a zod issue path into the text place that best explains it: the longest recorded prefix. */
function findPlace(places: Map<string, Place>, path: readonly PropertyKey[]): Place | undefined {
  for (let length = path.length; length > 0; length--) {
    const place = places.get(path.slice(0, length).map(String).join('/'));
    if (place) return place;
  }
  return undefined;
}

/** Parses DSL text into a Graph (positions are {0,0}; see mergePositions) and the line of each node. */
export function parseText(text: string): ParseTextResult {
  const parser = new Parser(text);
  parser.parse();
  if (parser.diagnostics.length > 0) return { ok: false, diagnostics: parser.diagnostics };

  const result = GraphSchema.safeParse(parser.graphInput());
  if (!result.success) {
    const diagnostics = result.error.issues.map((issue): Diagnostic => {
      const place = findPlace(parser.places, issue.path);
      if (!place) {
        return {
          code: 'SYNTAX_ERROR',
          severity: 'error',
          message: `${issue.path.join('.')}: ${issue.message}`,
        };
      }
      return {
        code: 'SYNTAX_ERROR',
        severity: 'error',
        message: `line ${place.line}, column ${place.column}: ${place.subject}: ${issue.message}`,
        line: place.line,
        column: place.column,
        ...(place.nodeId !== undefined && { nodeId: place.nodeId }),
        ...(place.param !== undefined && { param: place.param }),
      };
    });
    return { ok: false, diagnostics };
  }
  return { ok: true, graph: result.data, nodeLines: Object.fromEntries(parser.nodeLines) };
}
