import { catalog } from '@candleflow/nodes';
import { type Graph, printGraph } from '@candleflow/strategy-dsl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText, lineStarts, minimalChange } from './analyze';
import { exampleGraph, exampleNames, lineColumnOf } from './test-support/examples';

const graph = exampleGraph('ema-cross');
const text = printGraph(graph);

function edit(source: string, find: string, replace: string): string {
  expect(source, `fixture text should contain ${find}`).toContain(find);
  return source.replace(find, replace);
}

function node(g: Graph, id: string) {
  const found = g.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`test graph has no node ${id}`);
  return found;
}

describe('analyzeText: text to graph', () => {
  it('applies a valid parameter edit and keeps every canvas position', () => {
    const result = analyzeText(edit(text, 'period: $fast', 'period: 9'), graph, catalog);

    expect(result.status).toBe('apply');
    expect(node(result.graph!, 'fast_ema').params.period).toBe(9);
    for (const n of graph.nodes) expect(node(result.graph!, n.id).position).toEqual(n.position);
  });

  it('places a node that is new in the text beside the existing ones', () => {
    const added = `${text}extra_ema = ema(source: candles.close, period: 50)\n`;

    const result = analyzeText(added, graph, catalog);

    expect(result.status).toBe('apply');
    const maxX = Math.max(...graph.nodes.map((n) => n.position.x));
    expect(node(result.graph!, 'extra_ema').position.x).toBeGreaterThan(maxX);
  });

  it('reports unchanged for comments and formatting that do not change the graph', () => {
    const commented = `# my notes\n${text.replace('fast_ema = ema(', 'fast_ema   =   ema(\n  ')}`;

    const result = analyzeText(commented, graph, catalog);

    expect(result.status).toBe('unchanged');
    expect(result.graph).toBeNull();
  });

  it('round-trips every example: its printed text is unchanged and error-free as far as the example is', () => {
    for (const name of exampleNames()) {
      const g = exampleGraph(name);
      const result = analyzeText(printGraph(g), g, catalog);
      expect(result.status, name).toBe('unchanged');
      expect(result.canonical, name).toBe(printGraph(g));
    }
  });

  it('an applied graph prints back to the canonical form of the edited text', () => {
    const edited = edit(text, 'rsiPeriod: int = 14', 'rsiPeriod: int = 21');

    const result = analyzeText(edited, graph, catalog);

    expect(result.status).toBe('apply');
    expect(printGraph(result.graph!)).toBe(edited);
  });
});

describe('analyzeText: errors at line and column', () => {
  it('places a syntax error at the offending token', () => {
    const broken = edit(text, 'period: $fast)', 'period: $fast slow)');
    const offset = broken.indexOf('slow)', broken.indexOf('fast_ema'));

    const result = analyzeText(broken, graph, catalog);

    expect(result.status).toBe('syntax');
    const [problem] = result.problems;
    expect(problem).toMatchObject({ code: 'SYNTAX_ERROR', from: offset, to: offset + 'slow'.length });
    expect({ line: problem!.line, column: problem!.column }).toEqual(lineColumnOf(broken, offset));
    expect(problem!.message).not.toMatch(/^line \d+/);
  });

  it('places an invalid parameter on the parameter name in its node statement', () => {
    const broken = edit(text, 'period: $fast', 'period: 0');
    const offset = broken.indexOf('period: 0');

    const result = analyzeText(broken, graph, catalog);

    const problem = result.problems.find((p) => p.code === 'INVALID_PARAM');
    expect(problem).toMatchObject({ nodeId: 'fast_ema', from: offset, to: offset + 'period'.length });
    expect(problem!.message).toContain('inspector');
  });

  it('places a type mismatch on the input port of the node that receives it', () => {
    const broken = edit(
      text,
      'source: candles.close, period: $slow',
      'source: cross_up.value, period: $slow',
    );
    const offset = broken.indexOf('source: cross_up.value');

    const result = analyzeText(broken, graph, catalog);

    expect(result.problems.find((p) => p.code === 'TYPE_MISMATCH')).toMatchObject({
      nodeId: 'slow_ema',
      from: offset,
      line: lineColumnOf(broken, offset).line,
    });
  });

  it('places a reference to a missing node on the reference', () => {
    const broken = edit(text, 'signal: close_long.signal', 'signal: nope.signal');
    const offset = broken.indexOf('nope.signal');

    const result = analyzeText(broken, graph, catalog);

    expect(result.problems.find((p) => p.code === 'UNKNOWN_EDGE_NODE')).toMatchObject({
      from: offset,
      to: offset + 'nope'.length,
    });
  });

  it('places a strategy-wide problem on the strategy line', () => {
    const withoutOrders = text
      .split('\n')
      .filter((line) => !line.includes('market_order'))
      .join('\n');

    const result = analyzeText(withoutOrders, graph, catalog);

    const problem = result.problems.find((p) => p.code === 'NO_ORDERS');
    expect(problem).toMatchObject({ from: withoutOrders.indexOf('strategy'), line: 1 });
  });
});

describe('analyzeText: invalid text never reaches the graph', () => {
  it('returns no graph while the text does not parse', () => {
    const result = analyzeText(`${text}half = ema(source: candles.close`, graph, catalog);

    expect(result.status).toBe('syntax');
    expect(result.graph).toBeNull();
  });

  it('blocks an edit that adds a compile error', () => {
    const broken = edit(text, 'entry = market_order(signal: go_long.signal, ', 'entry = market_order(');

    const result = analyzeText(broken, graph, catalog);

    expect(result.status).toBe('blocked');
    expect(result.graph).toBeNull();
    expect(result.introduced.map((p) => p.code)).toContain('MISSING_INPUT');
  });

  it('still applies edits to a graph whose existing errors the edit leaves alone', () => {
    const incomplete: Graph = {
      ...graph,
      edges: graph.edges.filter((e) => !(e.target === 'entry' && e.targetPort === 'signal')),
    };
    const incompleteText = printGraph(incomplete);

    const result = analyzeText(edit(incompleteText, 'period: $fast', 'period: 8'), incomplete, catalog);

    expect(result.status).toBe('apply');
    expect(result.problems.some((p) => p.code === 'MISSING_INPUT' && p.nodeId === 'entry')).toBe(true);
  });
});

describe('minimalChange', () => {
  it('turns one text into the other by a single replacement inside their common prefix and suffix', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const change = minimalChange(a, b);
        if (a === b) return change === null;
        const applied = a.slice(0, change!.from) + change!.insert + a.slice(change!.to);
        return applied === b && a.slice(0, change!.from) === b.slice(0, change!.from);
      }),
    );
  });

  it('touches only the changed word', () => {
    expect(minimalChange('period: 12)', 'period: 21)')).toEqual({ from: 8, to: 10, insert: '21' });
  });
});

describe('lineStarts', () => {
  it('lists the offset after every newline', () => {
    const sample = 'a\nbc\n\nd';
    const expected = [0, ...[...sample].flatMap((c, i) => (c === '\n' ? [i + 1] : []))];
    expect(lineStarts(sample)).toEqual(expected);
  });
});
