// The parser: a realistic strategy text parses to the graph a person would write by hand, and every kind of
// mistake is reported at its line and column with what was expected and what was found.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../errors';
import { parseText } from './parser';
import { EMA_CROSS, EMA_CROSS_GRAPH } from './test-support/ema-cross';

function parseOk(text: string) {
  const result = parseText(text);
  if (!result.ok)
    throw new Error(`expected the text to parse:\n${result.diagnostics.map((d) => d.message).join('\n')}`);
  return result;
}

function errorsOf(text: string): Diagnostic[] {
  const result = parseText(text);
  if (result.ok) throw new Error('expected the text to be rejected');
  return result.diagnostics;
}

/** 1-based column of `needle` in `line`, counted independently of the lexer. */
const col = (line: string, needle: string, from = 0) => line.indexOf(needle, from) + 1;

describe('parseText on a realistic strategy', () => {
  it('parses the EMA-cross text to the graph written by hand', () => {
    const result = parseOk(EMA_CROSS);

    expect(result.graph).toStrictEqual(EMA_CROSS_GRAPH);
  });

  it('reports the line of every node statement', () => {
    const result = parseOk(EMA_CROSS);

    expect(result.nodeLines).toStrictEqual({
      candles: 14,
      fast_ema: 15,
      slow_ema: 16,
      cross_up: 17,
      go_long: 18,
      stop: 19,
      entry: 20,
    });
  });
});

describe('parseText accepts', () => {
  const header = 'strategy "s"\n';

  it('a statement wrapped one argument per line, with a trailing comma and comments', () => {
    const text = `${header}entry = market_order(  # the order\n  signal: go.signal,\n  exits: [\n    a.exit,\n    b.exit,\n  ],\n  size: 2,\n)\nnext = f()\n`;

    const result = parseOk(text);

    expect(result.graph.edges.map((e) => `${e.source}.${e.sourcePort}->${e.targetPort}`)).toStrictEqual([
      'go.signal->signal',
      'a.exit->exits',
      'b.exit->exits',
    ]);
    expect(result.graph.nodes[0]?.params).toStrictEqual({ size: 2 });
    expect(result.nodeLines).toStrictEqual({ entry: 2, next: 10 });
  });

  it('node ids that are keywords, and true/false as node names in references', () => {
    const text = `${header}constraint = f(x: true.value, flag: false)\nparam = g(y: constraint.out)\ntrue = h()\n`;

    const result = parseOk(text);

    expect(result.graph.nodes.map((n) => n.id)).toStrictEqual(['constraint', 'param', 'true']);
    expect(result.graph.nodes[0]?.params).toStrictEqual({ flag: false });
    expect(result.graph.edges[0]).toStrictEqual({
      source: 'true',
      sourcePort: 'value',
      target: 'constraint',
      targetPort: 'x',
    });
    expect(result.graph.constraints).toStrictEqual([]);
  });

  it('quoted parameter names, escapes, exponents and negative numbers', () => {
    const text = `${header}n = f("look back": -1.5e2, "quote\\"d": "tab\\there \\u00e9", z: -0, big: 1E+3)\n`;

    const params = parseOk(text).graph.nodes[0]?.params;

    expect(params).toStrictEqual({ 'look back': -150, 'quote"d': 'tab\there é', z: -0, big: 1000 });
    expect(Object.is(params?.z, -0)).toBe(true);
  });

  it('bare and quoted constraints, with trailing comments dropped from bare ones', () => {
    const text = `${header}constraint fast < slow   # why\nconstraint "a # b"\nconstraint mode == "atr"\n`;

    expect(parseOk(text).graph.constraints).toStrictEqual(['fast < slow', 'a # b', 'mode == "atr"']);
  });

  it('min or max alone, clauses in any order, and risk {} for settings without caps', () => {
    const text = `${header}param a: number = 1 "about a" step 0.1 max 3\nparam b: int = 0 min -5\nrisk {}\n`;

    const graph = parseOk(text).graph;

    expect(graph.params).toStrictEqual([
      { name: 'a', type: 'number', default: 1, description: 'about a', step: 0.1, max: 3 },
      { name: 'b', type: 'int', default: 0, min: -5 },
    ]);
    expect(graph.risk).toStrictEqual({});
  });

  it('risk settings continued on the next lines after a comma', () => {
    const text = `${header}risk maxPositionPct = 50,\n  cooldownBars = 3,\n  dedupeSignals = false\n`;

    expect(parseOk(text).graph.risk).toStrictEqual({
      maxPositionPct: 50,
      cooldownBars: 3,
      dedupeSignals: false,
    });
  });

  it('Windows line endings', () => {
    const text = 'strategy "s"\r\nconstraint a < b\r\nx = f(p: 1)\r\n';

    const result = parseOk(text);

    expect(result.graph.constraints).toStrictEqual(['a < b']);
    expect(result.nodeLines).toStrictEqual({ x: 3 });
  });

  it('an explicit @1 version and text without a final newline', () => {
    expect(parseOk(`${header}x = f@1()`).graph.nodes[0]?.version).toBe(1);
  });
});

describe('parseText syntax errors', () => {
  const header = 'strategy "s"\n';

  /** Parses `header + line` and expects one SYNTAX_ERROR on line 2 at `column`, with `message` in it. */
  function expectError(line: string, column: number, message: string) {
    const diagnostics = errorsOf(`${header}${line}\n`);

    expect(diagnostics).toStrictEqual([
      {
        code: 'SYNTAX_ERROR',
        severity: 'error',
        message: `line 2, column ${column}: ${message}`,
        line: 2,
        column,
      },
    ]);
  }

  it('a missing comma between arguments names the argument and the word found', () => {
    const line = 'fast_ema = ema(source: candles.close, period: 14 slow)';

    expectError(line, col(line, 'slow)'), "expected ',' or ')' after argument 'period', found 'slow'");
  });

  it('a call not closed before the next line is reported at the end of its line', () => {
    const line = 'x = ema(source: a.b';

    expectError(line, line.length + 1, "expected ',' or ')' after argument 'source', found end of line");
  });

  it('a word where a value belongs suggests $param, node.port or a string', () => {
    const line = 'x = ema(period: slow)';

    expectError(
      line,
      col(line, ')'),
      "expected '.' and a port after 'slow' in argument 'period' (a node output reads slow.value; " +
        'write $slow for a strategy parameter or "slow" for text), found \')\'',
    );
  });

  it('a reference with two dots', () => {
    const line = 'x = ema(source: a.b.c)';

    expectError(line, col(line, '.c'), "a reference has one dot, node.port; 'a.b.' goes one level too deep");
  });

  it('an empty input list', () => {
    const line = 'x = f(a: [])';

    expectError(
      line,
      col(line, '['),
      "the list of argument 'a' is empty; connect at least one output (a: [a.value, b.value]) or remove the argument",
    );
  });

  it('a literal inside an input list', () => {
    const line = 'x = f(a: [b.c, 2])';

    expectError(
      line,
      col(line, '2'),
      "expected a reference like node.port in the list of argument 'a' (lists hold only node outputs), found '2'",
    );
  });

  it('the same argument twice', () => {
    const line = 'x = f(a: b.c, a: d.e)';

    expectError(
      line,
      col(line, 'a: d'),
      "argument 'a' is given twice in node 'x' (first at column 7 of line 2); list several inputs as a: [a.x, b.y]",
    );
  });

  it('a missing colon after an argument name', () => {
    const line = 'x = f(source a.b)';

    expectError(line, col(line, 'a.b'), "expected ':' after argument name 'source', found 'a'");
  });

  it('a missing parenthesis after the node type', () => {
    const line = 'x = ema source: a.b)';

    expectError(line, col(line, 'source'), "expected '(' after the node type 'ema', found 'source'");
  });

  it('a version that is not a whole number of 1 or more', () => {
    const line = 'x = ema@0(period: 3)';

    expectError(line, col(line, '0'), "expected a version number of 1 or more after 'ema@', found '0'");
  });

  it('a misspelt keyword', () => {
    const line = 'strateg "s2"';

    expectError(
      line,
      col(line, '"'),
      "expected '=' after 'strateg' (a node statement reads `strateg = type(args)`; other lines start with " +
        'strategy, description, param, constraint or risk), found "s2"',
    );
  });

  it('text after a complete statement', () => {
    const line = 'x = f() y';

    expectError(line, col(line, 'y'), "expected end of line after the statement of node 'x', found 'y'");
  });

  it('a line that does not start with a name', () => {
    expectError(
      '42 = f()',
      1,
      "expected a statement (`id = type(...)`, or a line starting with strategy, description, param, constraint or risk), found '42'",
    );
  });

  it('an unexpected character', () => {
    const line = 'x = f(p: 14 % 2)';

    expectError(line, col(line, '%'), "unexpected character '%'");
  });

  it('an unclosed string', () => {
    const line = 'x = f(name: "abc)';

    expectError(line, col(line, '"'), 'this string is not closed: add a " before the end of the line');
  });

  it('an unknown escape in a string', () => {
    const line = 'x = f(name: "a\\qb")';

    expectError(
      line,
      col(line, '\\'),
      "unknown escape '\\q' in a string (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)",
    );
  });

  it('a number with a leading zero', () => {
    const line = 'x = f(p: 07)';

    expectError(line, col(line, '07'), 'a number may not start with 0 followed by digits (write 7, not 07)');
  });

  it('a number ending in a dot', () => {
    const line = 'x = f(p: 1.)';

    expectError(line, col(line, ')'), "expected a digit after '.' in a number");
  });

  it('a $ without a parameter name', () => {
    const line = 'x = f(p: $ fast)';

    expectError(line, col(line, '$') + 1, "expected a strategy parameter name right after '$' (like $fast)");
  });

  it('an unknown parameter type', () => {
    const line = 'param fast: integer = 1';

    expectError(
      line,
      col(line, 'integer'),
      "expected a parameter type (int, number, boolean or string) for 'fast', found 'integer'",
    );
  });

  it('a parameter default that is not a literal', () => {
    const line = 'param fast: int = $slow';

    expectError(
      line,
      col(line, '$'),
      "expected a default value for parameter 'fast' (a number, a string, true or false), found '$slow'",
    );
  });

  it('an unknown clause in a parameter', () => {
    const line = 'param fast: int = 1 rang 2..5';

    expectError(
      line,
      col(line, 'rang'),
      "expected range, min, max, step, options, a description string or end of line in parameter 'fast', found 'rang'",
    );
  });

  it('a range without ..', () => {
    const line = 'param fast: int = 1 range 2 5';

    expectError(
      line,
      col(line, '5'),
      "expected '..' between the ends of the range of 'fast' (like range 2..50), found '5'",
    );
  });

  it('a parameter clause given twice', () => {
    const line = 'param fast: int = 1 step 1 step 2';

    expectError(line, col(line, 'step 2'), "'step' is given twice for parameter 'fast'");
  });

  it('an unknown risk setting', () => {
    const line = 'risk maxPosition = 5';

    expectError(
      line,
      col(line, 'maxPosition'),
      "'maxPosition' is not a risk setting; the settings are maxPositionPct, maxExposurePct, riskPerTradePct, " +
        'dailyLossLimitPct, maxDrawdownPct, cooldownBars, dedupeSignals',
    );
  });

  it('a risk line with nothing in it', () => {
    expectError(
      'risk',
      5,
      'expected a risk setting like maxPositionPct = 50 (or {} for none), found end of line',
    );
  });

  it('an empty constraint', () => {
    const line = 'constraint    # later';

    expectError(
      line,
      col(line, '#'),
      "expected a constraint after 'constraint' (like constraint fast < slow)",
    );
  });

  it('a second strategy line', () => {
    expectError(
      'strategy "again"',
      1,
      'the strategy name is already given on line 1; keep one strategy line',
    );
  });

  it('a text without a strategy line', () => {
    expect(errorsOf('x = f()\n')).toStrictEqual([
      {
        code: 'SYNTAX_ERROR',
        severity: 'error',
        message: 'line 1, column 1: the text has no `strategy "name"` line; add one at the top',
        line: 1,
        column: 1,
      },
    ]);
  });
});

describe('parseText semantic checks', () => {
  it('reports a duplicate node id at the second statement', () => {
    const diagnostics = errorsOf('strategy "s"\nema1 = ema(period: 3)\nema1 = ema(period: 5)\n');

    expect(diagnostics).toStrictEqual([
      {
        code: 'DUPLICATE_NODE_ID',
        severity: 'error',
        message: "line 3, column 1: node id 'ema1' is already used on line 2; rename one of the two nodes",
        line: 3,
        column: 1,
        nodeId: 'ema1',
      },
    ]);
  });

  it('reports a parameter declared twice', () => {
    const diagnostics = errorsOf('strategy "s"\nparam a: int = 1\nparam a: int = 2\n');

    expect(diagnostics).toMatchObject([{ code: 'INVALID_STRATEGY_PARAM', line: 3, column: 7, param: 'a' }]);
  });

  it('maps schema failures to the statement they come from', () => {
    const longId = 'n'.repeat(65);
    const text = [
      'strategy ""',
      'param p: int = 1 step 0',
      'risk maxPositionPct = 50, cooldownBars = 1.5',
      `${longId} = f()`,
      'x = g@2(q: $ok)',
    ].join('\n');

    const diagnostics = errorsOf(text);

    expect(diagnostics.map((d) => [d.line, d.column, d.nodeId, d.param])).toStrictEqual([
      [1, 10, undefined, undefined],
      [2, 7, undefined, 'p'],
      [3, 27, undefined, undefined],
      [4, 1, longId, undefined],
    ]);
    expect(diagnostics.every((d) => d.code === 'SYNTAX_ERROR')).toBe(true);
    expect(diagnostics[0]?.message).toMatch(/^line 1, column 10: the strategy name: /);
    expect(diagnostics[3]?.message).toBe(
      `line 4, column 1: node '${longId}': a node id must be at most 64 characters`,
    );
  });

  it('maps a bad edge port to the reference in the text', () => {
    const source = 's'.repeat(65);
    const line = `x = f(a: ${source}.out)`;

    const diagnostics = errorsOf(`strategy "s"\n${line}\n`);

    expect(diagnostics).toMatchObject([
      {
        line: 2,
        column: col(line, source),
        nodeId: 'x',
        message: expect.stringContaining("input 'a' of node 'x'"),
      },
    ]);
  });

  it('does not need the referenced nodes to exist (the compiler checks them)', () => {
    const result = parseOk('strategy "s"\nx = f(a: nowhere.out)\n');

    expect(result.graph.edges).toStrictEqual([
      { source: 'nowhere', sourcePort: 'out', target: 'x', targetPort: 'a' },
    ]);
  });
});

describe('parseText error recovery', () => {
  it('reports errors on several lines and skips the rest of a wrapped statement', () => {
    const text = [
      'strategy "s"',
      'a = f(p: 1 2)',
      'b = g(',
      '  x: ,',
      '  y: c.d,',
      ')',
      'c = h(q: [])',
      'ok = k()',
      'd = (',
    ].join('\n');

    const diagnostics = errorsOf(text);

    expect(diagnostics.map((d) => [d.line, d.column])).toStrictEqual([
      [2, 12],
      [4, 6],
      [7, 10],
      [9, 5],
    ]);
  });
});

describe('parseText on arbitrary text', () => {
  const pieces = [
    'x',
    'strategy',
    'param',
    'risk',
    'constraint',
    'description',
    'true',
    '=',
    '(',
    ')',
    ',',
    ':',
    '.',
    '..',
    '[',
    ']',
    '{',
    '}',
    '@',
    '"a"',
    '"',
    '\\',
    '1',
    '-',
    '0.5',
    '$p',
    '\n',
    '\r\n',
    ' ',
    '  ',
    '#c',
    '%',
  ];

  it('never throws and places every diagnostic in the text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');

        const result = parseText(text);

        const lineCount = text.split('\n').length;
        for (const d of result.ok ? [] : result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.message).toMatch(/^line \d+, column \d+: /);
        }
      }),
      { numRuns: 300 },
    );
  });
});
