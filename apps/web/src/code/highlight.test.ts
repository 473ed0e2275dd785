import { printGraph } from '@candleflow/strategy-dsl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DslTokenClass, tokenizeLine } from './highlight';
import { exampleGraph, exampleNames } from './test-support/examples';

/** The class of the token covering exactly `word` (its first occurrence at or after `from`). */
function classOf(line: string, word: string, from = 0): DslTokenClass | undefined {
  const at = line.indexOf(word, from);
  expect(at, `"${word}" in "${line}"`).toBeGreaterThanOrEqual(0);
  return tokenizeLine(line).find((t) => t.from === at && t.to === at + word.length)?.cls;
}

describe('tokenizeLine', () => {
  it('colours a node statement: id, type, argument names, references, parameter refs, strings and numbers', () => {
    const line = 'stop = stop_loss@2(atr: atr14.value, mode: "atr", multiple: $atrMult, period: 14)';

    expect(classOf(line, 'stop')).toBe('nodeId');
    expect(classOf(line, 'stop_loss')).toBe('nodeType');
    expect(classOf(line, '2')).toBe('number');
    expect(classOf(line, 'atr', line.indexOf('('))).toBe('argName');
    expect(classOf(line, 'atr14.value')).toBe('reference');
    expect(classOf(line, '"atr"')).toBe('string');
    expect(classOf(line, '$atrMult')).toBe('paramRef');
    expect(classOf(line, '14)')).toBeUndefined();
    expect(classOf(line, '14', line.indexOf('period'))).toBe('number');
  });

  it('colours declarations: keywords, parameter names, types and clauses', () => {
    const line = 'param fast: int = 12 range 2..100 step 1 "Fast EMA period"';

    expect(classOf(line, 'param')).toBe('keyword');
    expect(classOf(line, 'fast')).toBe('paramName');
    expect(classOf(line, 'int')).toBe('typeName');
    expect(classOf(line, 'range')).toBe('keyword');
    expect(classOf(line, '12')).toBe('number');
    expect(classOf(line, '2', line.indexOf('range'))).toBe('number');
    expect(classOf(line, '100')).toBe('number');
    expect(classOf(line, '"Fast EMA period"')).toBe('string');
  });

  it('treats a keyword followed by = as a node id, as the parser does', () => {
    expect(classOf('risk = atr(candles: c.candles)', 'risk')).toBe('nodeId');
    expect(classOf('risk maxPositionPct = 50, dedupeSignals = true', 'risk')).toBe('keyword');
    expect(classOf('risk maxPositionPct = 50, dedupeSignals = true', 'maxPositionPct')).toBe('property');
    expect(classOf('risk maxPositionPct = 50, dedupeSignals = true', 'true')).toBe('atom');
  });

  it('colours comments to the end of the line but not a # inside a string', () => {
    const line = 'x = f(label: "a # b") # note';

    expect(classOf(line, '"a # b"')).toBe('string');
    expect(classOf(line, '# note')).toBe('comment');
  });

  it('colours continuation lines of a wrapped call', () => {
    expect(classOf('  source: candles.close,', 'source')).toBe('argName');
    expect(classOf('  source: candles.close,', 'candles.close')).toBe('reference');
    expect(classOf('constraint fast < slow', 'slow')).toBe('paramName');
  });

  it('never produces overlapping or out-of-range tokens, whatever the line', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab_1.$"#:=(),[]@- \\e'.split('')) }), (line) => {
        const tokens = tokenizeLine(line);
        return tokens.every(
          (t, i) =>
            t.from >= 0 && t.to <= line.length && t.from < t.to && (i === 0 || tokens[i - 1]!.to <= t.from),
        );
      }),
    );
  });

  it('colours every $parameter and every node id of the examples', () => {
    for (const name of exampleNames()) {
      const graph = exampleGraph(name);
      const lines = printGraph(graph).split('\n');
      for (const n of graph.nodes) {
        const line = lines.find((l) => l.startsWith(`${n.id} =`));
        expect(line, `${name}: statement of ${n.id}`).toBeDefined();
        expect(classOf(line!, n.id), `${name}: ${n.id}`).toBe('nodeId');
        expect(classOf(line!, n.type, n.id.length), `${name}: type of ${n.id}`).toBe('nodeType');
      }
      for (const p of graph.params) {
        for (const line of lines.filter((l) => l.includes(`$${p.name}`) && !l.startsWith('#'))) {
          const at = line.indexOf(`$${p.name}`);
          const token = tokenizeLine(line).find((t) => t.from === at);
          expect(token?.cls, `${name}: $${p.name}`).toBe('paramRef');
        }
      }
    }
  });
});
