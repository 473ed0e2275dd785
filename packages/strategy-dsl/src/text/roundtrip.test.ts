// Property tests: any valid graph survives printGraph → parseText exactly (positions aside), canonical
// text survives parse → print unchanged, and formatText turns loosely written text into the canonical form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Graph, GraphSchema, type ParamValue, type StrategyParam } from '../graph';
import { formatText } from './format';
import { parseText } from './parser';
import { canonicalEdgeOrder, printGraph } from './printer';

const RUNS = { numRuns: 200 };

const KEYWORD_IDS = [
  'strategy',
  'description',
  'param',
  'constraint',
  'risk',
  'true',
  'false',
  'range',
  'options',
];
const identifier = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...KEYWORD_IDS) },
);

/** Strings that are hard to print: quotes, backslashes, newlines, control characters, lone surrogates, emoji. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '"',
    '\\',
    '\n',
    'a "quoted" \\n word',
    '\u2028',
    '\ud800',
    '# not a comment',
    '',
    ' padded ',
    '🕯️',
  ),
);

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constant(-0),
);

const paramValue: fc.Arbitrary<ParamValue> = fc.oneof(
  number,
  awkwardString,
  fc.boolean(),
  identifier.map(($param) => ({ $param })),
);

/** Input ports come from their own pool, so a node's parameter names never equal its input names (see README). */
const INPUT_PORTS = ['source', 'a', 'b', 'signal', 'exits', 'when'];
const paramName = fc
  .oneof(identifier, awkwardString)
  .filter((name) => !INPUT_PORTS.includes(name) && name !== '__proto__');

const positiveNumber = (max?: number) =>
  fc.double({
    min: 0,
    minExcluded: true,
    max: max ?? Number.MAX_VALUE,
    noNaN: true,
    noDefaultInfinity: true,
  });

const strategyParam: fc.Arbitrary<StrategyParam> = fc.record(
  {
    name: identifier,
    type: fc.constantFrom('int', 'number', 'boolean', 'string'),
    default: fc.oneof(number, awkwardString, fc.boolean()),
    min: number,
    max: number,
    step: positiveNumber(),
    options: fc.array(awkwardString, { maxLength: 3 }),
    description: awkwardString,
  },
  { requiredKeys: ['name', 'type', 'default'] },
);

const risk = fc.record(
  {
    maxPositionPct: positiveNumber(1000),
    maxExposurePct: positiveNumber(10000),
    riskPerTradePct: positiveNumber(100),
    dailyLossLimitPct: positiveNumber(100),
    maxDrawdownPct: positiveNumber(100),
    cooldownBars: fc.nat(),
    dedupeSignals: fc.boolean(),
  },
  { requiredKeys: [] },
);

const position = fc.record({ x: fc.integer(), y: fc.integer() });

const graphArbitrary: fc.Arbitrary<Graph> = fc
  .uniqueArray(identifier, { maxLength: 6 })
  .chain((ids) => {
    const node = (id: string) =>
      fc.record({
        id: fc.constant(id),
        type: identifier,
        version: fc.integer({ min: 1, max: 4 }),
        params: fc.dictionary(paramName, paramValue, { maxKeys: 4 }),
        position,
      });
    // Sources may be nodes of the graph or not (a reference may name a node the compiler will reject).
    const source = ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), identifier) : identifier;
    const edges =
      ids.length === 0
        ? fc.constant([])
        : fc.array(
            fc.record({
              source,
              sourcePort: identifier,
              target: fc.constantFrom(...ids),
              targetPort: fc.constantFrom(...INPUT_PORTS),
            }),
            { maxLength: 10 },
          );
    return fc.record(
      {
        schemaVersion: fc.constant(1 as const),
        name: awkwardString.filter((name) => name.length > 0),
        description: awkwardString,
        params: fc.uniqueArray(strategyParam, { selector: (param) => param.name, maxLength: 4 }),
        constraints: fc.array(fc.oneof(fc.constant('fast < slow'), awkwardString), { maxLength: 3 }),
        risk,
        nodes: fc.tuple(...ids.map(node)),
        edges,
      },
      { requiredKeys: ['schemaVersion', 'name', 'params', 'constraints', 'nodes', 'edges'] },
    );
  })
  .map((raw) => GraphSchema.parse(raw));

/**
 * The text's edge order computed independently of the printer: a stable sort by (target node index,
 * index of the first edge into the same port). Every edge of a generated graph targets one of its nodes.
 */
function textEdgeOrder(graph: Graph): Graph['edges'] {
  const nodeIndex = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const firstIntoPort = (edge: Graph['edges'][number]) =>
    graph.edges.findIndex((e) => e.target === edge.target && e.targetPort === edge.targetPort);
  return graph.edges
    .map((edge, i) => ({ edge, key: [nodeIndex.get(edge.target)!, firstIntoPort(edge), i] }))
    .sort((p, q) => p.key[0]! - q.key[0]! || p.key[1]! - q.key[1]! || p.key[2]! - q.key[2]!)
    .map(({ edge }) => edge);
}

/** What parseText must return for a graph: same graph, positions reset, edges in the text's order. */
function expectedAfterText(graph: Graph): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })),
    edges: textEdgeOrder(graph),
  };
}

describe('canonicalEdgeOrder', () => {
  it('is the text order: grouped by target node, then by port at its first edge, keeping every edge', () => {
    fc.assert(
      fc.property(graphArbitrary, (graph) => {
        expect(canonicalEdgeOrder(graph)).toStrictEqual(textEdgeOrder(graph));
      }),
      RUNS,
    );
  });
});

describe('printGraph → parseText', () => {
  it('gives back every valid graph exactly, except positions', () => {
    fc.assert(
      fc.property(graphArbitrary, (graph) => {
        const parsed = parseText(printGraph(graph));

        expect(parsed.ok ? parsed.graph : parsed.diagnostics).toStrictEqual(expectedAfterText(graph));
      }),
      RUNS,
    );
  });

  it('reports the line of each node statement', () => {
    fc.assert(
      fc.property(graphArbitrary, (graph) => {
        const lines = printGraph(graph).split('\n');

        const parsed = parseText(lines.join('\n'));

        if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
        for (const node of graph.nodes) {
          const line = parsed.nodeLines[node.id]!;
          expect(lines[line - 1]?.startsWith(`${node.id} = ${node.type}`)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('keeps canonical text unchanged through parse and print', () => {
    fc.assert(
      fc.property(graphArbitrary, (graph) => {
        const text = printGraph(graph);

        const parsed = parseText(text);

        expect(parsed.ok && printGraph(parsed.graph)).toBe(text);
      }),
      RUNS,
    );
  });
});

/** Choices for writing a graph the long way round, as a person might. */
interface Style {
  comments: boolean;
  nodesFirst: boolean;
  paramsBeforeInputs: boolean;
  wrapAll: boolean;
  explicitVersion: boolean;
  loose: boolean;
  minMax: boolean;
  quoteConstraints: boolean;
}

/** Literals in other spellings than the printer's: exponent form and \u escapes for everything non-ASCII. */
function looseLiteral(value: ParamValue): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : value.toExponential();
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'boolean') return String(value);
  return `$${value.$param}`;
}

/** An independent, deliberately untidy writer of the language, so formatText has real work to do. */
function writeLoosely(graph: Graph, style: Style): string {
  const sp = style.loose ? '   ' : ' ';
  const comment = (text: string) => (style.comments ? [`# ${text}`] : []);
  const header = [
    ...comment('header'),
    `strategy${sp}${looseLiteral(graph.name)}${style.comments ? '  # the name' : ''}`,
    ...(graph.description === undefined ? [] : [`description ${looseLiteral(graph.description)}`]),
  ];
  const params = graph.params.map((p) => {
    const clauses: string[] = [];
    if (p.description !== undefined) clauses.push(looseLiteral(p.description));
    if (p.options !== undefined) clauses.push(`options [\n  ${p.options.map(looseLiteral).join(',\n  ')}\n]`);
    if (p.step !== undefined) clauses.push(`step ${looseLiteral(p.step)}`);
    if (p.min !== undefined && p.max !== undefined && !style.minMax) {
      clauses.push(`range ${looseLiteral(p.min)}..${looseLiteral(p.max)}`);
    } else {
      if (p.max !== undefined) clauses.push(`max ${looseLiteral(p.max)}`);
      if (p.min !== undefined) clauses.push(`min ${looseLiteral(p.min)}`);
    }
    return `param ${p.name}${sp}:${sp}${p.type}${sp}=${sp}${looseLiteral(p.default)} ${clauses.join(sp)}`;
  });
  const constraints = graph.constraints.map((c) =>
    style.quoteConstraints || !/^[a-z]/.test(c) || /[#\n\r]/.test(c) || c.trim() !== c
      ? `constraint ${JSON.stringify(c)}`
      : `constraint ${c}${style.comments ? ' # why' : ''}`,
  );
  const riskEntries = Object.entries(graph.risk ?? {})
    .reverse()
    .map(([key, value]) => `${key}${sp}=${sp}${looseLiteral(value as ParamValue)}`);
  const riskLines =
    graph.risk === undefined
      ? []
      : [riskEntries.length === 0 ? 'risk {}' : `risk ${riskEntries.join(',\n    ')}`];
  const nodes = graph.nodes.map((node) => {
    const inputs = new Map<string, string[]>();
    for (const edge of graph.edges.filter((e) => e.target === node.id)) {
      inputs.set(edge.targetPort, [
        ...(inputs.get(edge.targetPort) ?? []),
        `${edge.source}.${edge.sourcePort}`,
      ]);
    }
    const inputArgs = [...inputs].map(([port, refs]) =>
      refs.length === 1 && !style.loose ? `${port}: ${refs[0]}` : `${port}: [${refs.join(' , ')},]`,
    );
    const paramArgs = Object.entries(node.params).map(
      ([key, value]) => `${JSON.stringify(key)}:${looseLiteral(value)}`,
    );
    const args = style.paramsBeforeInputs ? [...paramArgs, ...inputArgs] : [...inputArgs, ...paramArgs];
    const version = node.version !== 1 || style.explicitVersion ? `@${node.version}` : '';
    const body = style.wrapAll
      ? `\n${args.map((a) => `      ${a},${style.comments ? ' # arg' : ''}\n`).join('')}`
      : args.join(',');
    return `${node.id}${sp}=${sp}${node.type}${version}(${body})`;
  });
  const blocks = style.nodesFirst
    ? [nodes, riskLines, constraints, params, header]
    : [header, params, riskLines, constraints, nodes];
  return `\n${blocks.map((lines) => lines.join('\n')).join('\n\n\n')}\r\n`;
}

const style: fc.Arbitrary<Style> = fc.record({
  comments: fc.boolean(),
  nodesFirst: fc.boolean(),
  paramsBeforeInputs: fc.boolean(),
  wrapAll: fc.boolean(),
  explicitVersion: fc.boolean(),
  loose: fc.boolean(),
  minMax: fc.boolean(),
  quoteConstraints: fc.boolean(),
});

describe('formatText', () => {
  it('turns loosely written text into the canonical text of the same graph', () => {
    fc.assert(
      fc.property(graphArbitrary, style, (graph, chosen) => {
        const formatted = formatText(writeLoosely(graph, chosen));

        expect(formatted.ok ? formatted.text : formatted.diagnostics).toBe(printGraph(graph));
      }),
      RUNS,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(graphArbitrary, style, (graph, chosen) => {
        const once = formatText(writeLoosely(graph, chosen));
        if (!once.ok) throw new Error(JSON.stringify(once.diagnostics));

        const twice = formatText(once.text);

        expect(twice).toStrictEqual(once);
      }),
      RUNS,
    );
  });
});
