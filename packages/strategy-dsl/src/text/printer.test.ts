// The printer: canonical text as the language description spells it, written out by hand here.
import { describe, expect, it } from 'vitest';
import { type Graph, GraphSchema, type GraphInput, type ParamValue } from '../graph';
import { canonicalEdgeOrder, formatNumber, printConstraint, printGraph } from './printer';
import { EMA_CROSS, EMA_CROSS_GRAPH } from './test-support/ema-cross';

const graph = (input: Partial<GraphInput>): Graph =>
  GraphSchema.parse({ schemaVersion: 1, name: 's', nodes: [], ...input });

const node = (id: string, type: string, params: Record<string, ParamValue> = {}, version = 1) => ({
  id,
  type,
  version,
  params,
  position: { x: 10, y: 20 },
});

describe('printGraph', () => {
  it('prints the EMA-cross graph as the text of the language description', () => {
    const expected = EMA_CROSS.slice(EMA_CROSS.indexOf('\n') + 1);

    expect(printGraph(EMA_CROSS_GRAPH)).toBe(expected);
  });

  it('prints only the strategy line and one newline for an empty graph', () => {
    expect(printGraph(graph({}))).toBe('strategy "s"\n');
  });

  it('groups several edges into one port at its first edge, in edge order, inputs before params', () => {
    const g = graph({
      nodes: [node('sum', 'add', { scale: 2 }), node('m', 'max')],
      edges: [
        { source: 'a', sourcePort: 'value', target: 'sum', targetPort: 'terms' },
        { source: 'x', sourcePort: 'out', target: 'm', targetPort: 'values' },
        { source: 'b', sourcePort: 'value', target: 'sum', targetPort: 'bias' },
        { source: 'c', sourcePort: 'value', target: 'sum', targetPort: 'terms' },
      ],
    });

    expect(printGraph(g)).toBe(
      'strategy "s"\n\nsum = add(terms: [a.value, c.value], bias: b.value, scale: 2)\nm = max(values: x.out)\n',
    );
  });

  it('orders edges the way the text lists them', () => {
    const edges = [
      { source: 'a', sourcePort: 'v', target: 'late', targetPort: 'p' },
      { source: 'b', sourcePort: 'v', target: 'early', targetPort: 'q' },
      { source: 'c', sourcePort: 'v', target: 'early', targetPort: 'r' },
      { source: 'd', sourcePort: 'v', target: 'early', targetPort: 'q' },
    ];
    const g = graph({ nodes: [node('early', 'f'), node('late', 'g')], edges });

    expect(canonicalEdgeOrder(g)).toStrictEqual([edges[1], edges[3], edges[2], edges[0]]);
  });

  it('prints @version only when it is not 1', () => {
    const g = graph({ nodes: [node('a', 'ema', {}, 1), node('b', 'ema', {}, 3)] });

    expect(printGraph(g)).toBe('strategy "s"\n\na = ema()\nb = ema@3()\n');
  });

  it('prints every kind of parameter literal', () => {
    const g = graph({
      nodes: [
        node('n', 'f', {
          neg: -0,
          big: 1e21,
          tiny: 5e-324,
          frac: 0.1,
          text: 'say "hi"\n',
          on: false,
          bound: { $param: 'fast' },
          'two words': 1,
        }),
      ],
    });

    expect(printGraph(g)).toBe(
      'strategy "s"\n\nn = f(\n  neg: -0,\n  big: 1e+21,\n  tiny: 5e-324,\n  frac: 0.1,\n  text: "say \\"hi\\"\\n",\n' +
        '  on: false,\n  bound: $fast,\n  "two words": 1\n)\n',
    );
  });

  it('keeps a statement of exactly 100 characters on one line and wraps one of 101', () => {
    const fits = graph({ nodes: [node('x', 'f', { p: 'a'.repeat(88) })] });
    const wraps = graph({ nodes: [node('x', 'f', { p: 'a'.repeat(89) })] });

    const fitsLine = printGraph(fits).split('\n')[2];
    const wrapped = printGraph(wraps);

    expect(fitsLine).toHaveLength(100);
    expect(wrapped).toBe(`strategy "s"\n\nx = f(\n  p: "${'a'.repeat(89)}"\n)\n`);
  });

  it('prints every optional field of a strategy parameter that is present, and nothing else', () => {
    const g = graph({
      params: [
        { name: 'a', type: 'int', default: 3, min: 1 },
        { name: 'b', type: 'number', default: -1.5, max: 0, step: 0.25 },
        { name: 'c', type: 'string', default: 'x', options: [] },
        { name: 'd', type: 'boolean', default: false, description: 'two\nlines' },
      ],
      constraints: ['a < b'],
    });

    expect(printGraph(g)).toBe(
      'strategy "s"\n\n' +
        'param a: int = 3 min 1\n' +
        'param b: number = -1.5 max 0 step 0.25\n' +
        'param c: string = "x" options []\n' +
        'param d: boolean = false "two\\nlines"\n' +
        'constraint a < b\n',
    );
  });

  it('prints the description after the name and risk {} for risk settings without caps', () => {
    const g = graph({ description: 'about', risk: {} });

    expect(printGraph(g)).toBe('strategy "s"\ndescription "about"\n\nrisk {}\n');
  });

  it('prints risk keys in schema order and wraps a long risk line', () => {
    const g = graph({
      risk: {
        dedupeSignals: true,
        cooldownBars: 3,
        maxDrawdownPct: 20,
        dailyLossLimitPct: 5,
        riskPerTradePct: 1,
        maxExposurePct: 60,
        maxPositionPct: 50,
      },
    });

    expect(printGraph(g)).toBe(
      'strategy "s"\n\nrisk maxPositionPct = 50,\n  maxExposurePct = 60,\n  riskPerTradePct = 1,\n' +
        '  dailyLossLimitPct = 5,\n  maxDrawdownPct = 20,\n  cooldownBars = 3,\n  dedupeSignals = true\n',
    );
  });

  it('notes edges into missing nodes in a comment, since no statement can hold them', () => {
    const g = graph({
      nodes: [node('a', 'f')],
      edges: [{ source: 'a', sourcePort: 'out', target: 'gone', targetPort: 'in' }],
    });

    expect(printGraph(g)).toBe(
      'strategy "s"\n\na = f()\n\n# dropped: edge a.out -> gone.in goes into a node that does not exist\n',
    );
    expect(canonicalEdgeOrder(g)).toStrictEqual([]);
  });
});

describe('printConstraint', () => {
  it.each([
    ['fast < slow', 'constraint fast < slow'],
    ['mode == "atr"', 'constraint mode == "atr"'],
    ['', 'constraint ""'],
    [' padded', 'constraint " padded"'],
    ['a # b', 'constraint "a # b"'],
    ['a\nb', 'constraint "a\\nb"'],
    ['"quoted" first', 'constraint "\\"quoted\\" first"'],
    ['= x', 'constraint "= x"'],
  ])('prints %j as %s', (constraint, expected) => {
    expect(printConstraint(constraint)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it('keeps the sign of -0 and uses the shortest round-tripping form otherwise', () => {
    expect([formatNumber(-0), formatNumber(0), formatNumber(1 / 3), formatNumber(-2e-7)]).toStrictEqual([
      '-0',
      '0',
      '0.3333333333333333',
      '-2e-7',
    ]);
  });
});
