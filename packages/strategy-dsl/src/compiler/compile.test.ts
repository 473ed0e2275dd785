import { describe, expect, it } from 'vitest';
import type { Diagnostic, DiagnosticCode } from '../errors';
import type { GraphInput } from '../graph';
import type { CompileResult, Plan } from '../plan';
import {
  createTestCatalog,
  graph,
  makeChainGraph,
  smaCrossGraph,
  type TestNode,
} from '../test-support/index';
import { compile } from './compile';

const catalog = createTestCatalog();

const errorsOf = (result: CompileResult) => result.diagnostics.filter((d) => d.severity === 'error');
const codesOf = (result: CompileResult) => errorsOf(result).map((d) => d.code);
function only(result: CompileResult, code: DiagnosticCode): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  expect(found, `expected one ${code} in ${JSON.stringify(result.diagnostics, null, 1)}`).toHaveLength(1);
  return found[0]!;
}
function planOf(result: CompileResult): Plan {
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 1));
  return result.plan;
}

const btc: TestNode = { id: 'btc', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '1m' } };
const tail: TestNode[] = [
  { id: 'above', type: 'compare' },
  { id: 'entry', type: 'enter_long' },
  { id: 'buy', type: 'market_order' },
];
const tailEdges = ['above.result -> entry.when', 'entry.signal -> buy.signal'];

/** A strategy that compares `a` and `b` (port references) and buys; `nodes` come before the tail. */
function comparing(
  nodes: TestNode[],
  a: string,
  b: string,
  edges: string[] = [],
  order: TestNode = tail[2]!,
) {
  return graph(
    [...nodes, tail[0]!, tail[1]!, order],
    [...edges, `${a} -> above.a`, `${b} -> above.b`, ...tailEdges],
  );
}

describe('compile: a valid strategy', () => {
  it('builds a plan with slots, wiring, feeds, orders and warm-up', () => {
    const plan = planOf(compile(smaCrossGraph(3), catalog));

    expect(plan.nodes.map((n) => n.id)).toEqual(['btc', 'avg', 'above', 'entry', 'buy']);
    const [feed, avg, above, entry, buy] = plan.nodes;
    expect(feed!.outputSlots).toEqual([0, 1, 2, 3, 4, 5]);
    expect(avg!.inputSlots).toEqual([4]); // btc.close
    expect(above!.inputSlots).toEqual([4, 6]);
    expect(entry!.inputSlots).toEqual([7]);
    expect(buy!.inputSlots).toEqual([8, null, null]);
    expect(plan.slotCount).toBe(10);
    expect(avg!.params).toEqual({ period: 3 });
    expect(buy!.params).toEqual({ timing: 'run_default' });
    expect(plan.clocks).toEqual([{ timeframe: '1m', tickNodeId: null }]);
    expect(plan.feeds).toEqual([{ nodeId: 'btc', symbol: 'BTC/USDT', timeframe: '1m' }]);
    expect(plan.orders).toEqual([{ nodeId: 'buy', slot: 9, symbol: 'BTC/USDT' }]);
    expect(plan.symbols).toEqual(['BTC/USDT']);
    expect(plan.baseTimeframe).toBe('1m');
    expect(plan.warmupBars).toBe(2);
  });

  it('orders nodes topologically and keeps the graph order among nodes that are ready together', () => {
    const input = smaCrossGraph();
    input.nodes.reverse();
    input.nodes.push({ id: 'note', type: 'constant', version: 1 });

    const result = compile(input, catalog);

    expect(planOf(result).nodes.map((n) => n.id)).toEqual(['btc', 'avg', 'above', 'entry', 'buy', 'note']);
  });

  it('warns about nodes that lead to no order without failing the compile', () => {
    const input = smaCrossGraph();
    input.nodes.push({ id: 'spare', type: 'sma', version: 1, params: {} });
    input.edges!.push({ source: 'btc', sourcePort: 'open', target: 'spare', targetPort: 'source' });

    const result = compile(input, catalog);

    expect(result.ok).toBe(true);
    expect(only(result, 'UNUSED_NODE')).toMatchObject({ severity: 'warning', nodeId: 'spare' });
  });

  it('collects every problem of a graph rather than stopping at the first', () => {
    const input = smaCrossGraph();
    input.nodes.push(
      { id: 'x', type: 'smaa', version: 1 },
      { id: 'y', type: 'sma', version: 1, params: { period: 0 } },
    );
    input.edges!.push({ source: 'ghost', sourcePort: 'value', target: 'above', targetPort: 'b' });

    expect(new Set(codesOf(compile(input, catalog)))).toEqual(
      new Set(['UNKNOWN_NODE_TYPE', 'INVALID_PARAM', 'UNKNOWN_EDGE_NODE', 'MISSING_INPUT']),
    );
  });
});

describe('compile: graph shape', () => {
  it('refuses a graph over the size limit before validating anything else', () => {
    const garbage = { nodes: Array.from({ length: 2_001 }, () => ({ nonsense: true })) };

    const result = compile(garbage, catalog);

    expect(codesOf(result)).toEqual(['GRAPH_TOO_LARGE']);
    expect(result.diagnostics[0]!.message).toContain('2001');
    expect(codesOf(compile(smaCrossGraph(), catalog, { maxNodes: 4 }))).toEqual(['GRAPH_TOO_LARGE']);
  });

  it('reports schema problems with the path of the bad field', () => {
    const input = smaCrossGraph() as { nodes: { id: string }[] };
    input.nodes[1]!.id = '3avg';

    const result = compile(input, catalog);

    const d = only(result, 'INVALID_GRAPH');
    expect(d.message).toMatch(/^nodes\[1\]\.id: a node id must start with a letter/);
    expect(d.nodeId).toBe('3avg');
    expect(result.ok).toBe(false);
    expect(codesOf(compile('not a graph', catalog))).toEqual(['INVALID_GRAPH']);
  });

  it('reports a node id used twice', () => {
    const input = smaCrossGraph();
    input.nodes.push({ id: 'avg', type: 'constant', version: 1 });

    expect(only(compile(input, catalog), 'DUPLICATE_NODE_ID').nodeId).toBe('avg');
  });

  it('suggests the nearest node type for an unknown type and lists versions for an unknown version', () => {
    const input = smaCrossGraph();
    input.nodes[1]!.type = 'smaa';
    input.nodes[2]!.version = 3;

    const result = compile(input, catalog);

    expect(only(result, 'UNKNOWN_NODE_TYPE')).toMatchObject({ nodeId: 'avg', hint: "did you mean 'sma'?" });
    expect(only(result, 'UNKNOWN_NODE_VERSION')).toMatchObject({
      nodeId: 'above',
      hint: 'available versions: 1',
    });
    // The unknown nodes' edges cannot be checked, and they must not cause follow-up noise.
    expect(new Set(codesOf(result))).toEqual(new Set(['UNKNOWN_NODE_TYPE', 'UNKNOWN_NODE_VERSION']));
  });
});

describe('compile: edges', () => {
  it('reports an edge to a node that does not exist', () => {
    const input = smaCrossGraph();
    input.edges![0]!.source = 'btcc';

    const d = only(compile(input, catalog), 'UNKNOWN_EDGE_NODE');

    expect(d).toMatchObject({ nodeId: 'btcc', hint: "did you mean 'btc'?" });
  });

  it('reports an unknown port and lists the ports the node has', () => {
    const input = smaCrossGraph();
    input.edges![1]!.targetPort = 'left';
    input.edges![0]!.sourcePort = 'clsoe';

    const result = compile(input, catalog);

    const [output, inputPort] = result.diagnostics.filter((d) => d.code === 'UNKNOWN_PORT');
    expect(inputPort).toMatchObject({ nodeId: 'above', port: 'left' });
    expect(inputPort!.hint).toBe('its inputs are: a (a number series), b (a number series)');
    expect(output).toMatchObject({ nodeId: 'btc', port: 'clsoe' });
    expect(output!.hint).toMatch(
      /^did you mean 'close'\? its outputs are: candles \(candles\), open \(a number series\)/,
    );
  });

  it('reports two edges into one single input', () => {
    const input = smaCrossGraph();
    input.edges!.push({ source: 'btc', sourcePort: 'open', target: 'above', targetPort: 'a' });

    const d = only(compile(input, catalog), 'DUPLICATE_INPUT');

    expect(d).toMatchObject({ nodeId: 'above', port: 'a' });
    expect(d.message).toContain("both 'btc' and 'btc'");
  });

  it('reports incompatible kinds in trader words and says nothing more about that input', () => {
    const input = comparing([btc, { id: 'up', type: 'compare' }], 'up.result', 'btc.close', [
      'btc.close -> up.a',
      'btc.open -> up.b',
    ]);

    const result = compile(input, catalog);

    const d = only(result, 'TYPE_MISMATCH');
    expect(d).toMatchObject({ nodeId: 'above', port: 'a' });
    expect(d.message).toBe(
      "Compare 'above' needs a number series on input 'a', but 'up.result' gives a true/false series",
    );
    expect(codesOf(result)).toEqual(['TYPE_MISMATCH']);
  });

  it('lets a constant feed a number input but not a number feed a true/false input', () => {
    const ok = comparing(
      [btc, { id: 'level', type: 'constant', params: { value: 100 } }],
      'btc.close',
      'level.value',
    );
    expect(compile(ok, catalog).ok).toBe(true);

    const bad = graph([btc, tail[1]!, tail[2]!], ['btc.close -> entry.when', 'entry.signal -> buy.signal']);
    expect(only(compile(bad, catalog), 'TYPE_MISMATCH').message).toContain(
      "needs a true/false series on input 'when', but 'btc.close' gives a number series",
    );
  });

  it('reports an unconnected required input but not an unconnected optional one', () => {
    const input = smaCrossGraph();
    input.edges = input.edges!.filter((e) => !(e.target === 'above' && e.targetPort === 'b'));

    const result = compile(input, catalog);

    expect(only(result, 'MISSING_INPUT')).toMatchObject({ nodeId: 'above', port: 'b' });
    expect(codesOf(result)).toEqual(['MISSING_INPUT']);
  });
});

describe('compile: cycles', () => {
  it('names the nodes of the loop in order', () => {
    const input = comparing(
      [btc, { id: 'smooth', type: 'sma', params: { period: 2 } }, { id: 'back', type: 'lag' }],
      'btc.close',
      'smooth.value',
      ['back.value -> smooth.source', 'smooth.value -> back.source'],
    );

    const d = only(compile(input, catalog), 'CYCLE');

    expect(d.message).toContain('smooth → back → smooth');
    expect(d.nodeId).toBe('smooth');
  });

  it('reports a node wired to itself and each separate loop once', () => {
    const input = comparing(
      [btc, { id: 'self', type: 'lag' }, { id: 'p', type: 'lag' }, { id: 'q', type: 'lag' }],
      'self.value',
      'p.value',
      ['self.value -> self.source', 'p.value -> q.source', 'q.value -> p.source'],
    );

    const cycles = compile(input, catalog).diagnostics.filter((d) => d.code === 'CYCLE');

    expect(cycles.map((d) => d.nodeId)).toEqual(['self', 'p']);
    expect(cycles[0]!.message).toContain('self → self');
    expect(cycles[1]!.message).toContain('p → q → p');
  });
});

describe('compile: parameters', () => {
  const period = { name: 'period', type: 'int' as const, default: 5, min: 2, max: 50 };

  it('binds node parameters to strategy parameters, overridden by name', () => {
    const input = { ...smaCrossGraph({ $param: 'period' }), params: [period] };

    const byDefault = planOf(compile(input, catalog));
    const overridden = planOf(compile(input, catalog, { paramValues: { period: 9 } }));

    expect(byDefault.nodes[1]!.params).toEqual({ period: 5 });
    expect(byDefault.paramValues).toEqual({ period: 5 });
    expect(overridden.nodes[1]!.params).toEqual({ period: 9 });
    expect(overridden.warmupBars).toBe(8);
  });

  it('reports a binding to an undeclared strategy parameter with the nearest name', () => {
    const input = { ...smaCrossGraph({ $param: 'perod' }), params: [period] };

    const d = only(compile(input, catalog), 'UNKNOWN_STRATEGY_PARAM');

    expect(d).toMatchObject({ nodeId: 'avg', param: 'period', hint: "did you mean 'period'?" });
  });

  it('reports overrides that are unknown, not whole numbers or out of range', () => {
    const input = { ...smaCrossGraph({ $param: 'period' }), params: [period] };

    expect(
      only(compile(input, catalog, { paramValues: { periods: 3 } }), 'UNKNOWN_STRATEGY_PARAM').param,
    ).toBe('periods');
    expect(
      only(compile(input, catalog, { paramValues: { period: 2.5 } }), 'INVALID_STRATEGY_PARAM').message,
    ).toBe("The value given for strategy parameter 'period' must be a whole number (got 2.5)");
    const outOfRange = only(
      compile(input, catalog, { paramValues: { period: 60 } }),
      'INVALID_STRATEGY_PARAM',
    );
    expect(outOfRange.message).toContain('must be at most 50 (got 60)');
    expect(outOfRange.hint).toBe('use a whole number from 2 to 50');
  });

  it("words a schema failure as the parameter's rule and the value it got", () => {
    const d = only(compile(smaCrossGraph(0), catalog), 'INVALID_PARAM');

    expect(d).toMatchObject({ nodeId: 'avg', param: 'period' });
    expect(d.message).toBe("SMA 'avg': 'period' must be at least 1 (got 0)");
  });

  it('says which strategy parameter an invalid node parameter came from', () => {
    const input = { ...smaCrossGraph({ $param: 'period' }), params: [{ ...period, min: -5, default: -1 }] };

    expect(only(compile(input, catalog), 'INVALID_PARAM').message).toContain(
      "from strategy parameter 'period'",
    );
  });

  it('reports a parameter the node does not have', () => {
    const input = smaCrossGraph();
    input.nodes[1]!.params = { period: 3, perid: 4 };

    expect(only(compile(input, catalog), 'INVALID_PARAM')).toMatchObject({
      param: 'perid',
      hint: "did you mean 'period'?",
    });
  });

  it("adds the node id to the node's own parameter checks", () => {
    const input = smaCrossGraph();
    input.nodes.push({ id: 'stop', type: 'stop_loss', version: 1, params: { percent: 60 } });
    input.edges!.push({ source: 'stop', sourcePort: 'exit', target: 'buy', targetPort: 'exits' });

    expect(only(compile(input, catalog), 'INVALID_PARAM')).toMatchObject({
      nodeId: 'stop',
      param: 'percent',
      message: 'a stop 60% away almost never triggers',
    });
  });
});

describe('compile: constraints', () => {
  const params = [
    { name: 'fast', type: 'int' as const, default: 30 },
    { name: 'slow', type: 'int' as const, default: 20 },
  ];
  const withConstraints = (constraints: string[]) => ({ ...smaCrossGraph(), params, constraints });

  it('reports a broken constraint with both values', () => {
    const d = only(compile(withConstraints(['fast < slow']), catalog), 'CONSTRAINT_VIOLATED');

    expect(d.message).toBe('fast (30) must be < slow (20)');
  });

  it('accepts constraints that hold, including after overrides and against number literals', () => {
    const result = compile(withConstraints(['fast < slow', 'fast >= 2', 'slow != fast']), catalog, {
      paramValues: { fast: 10 },
    });

    expect(result.ok).toBe(true);
  });

  it('reports text that is not a constraint', () => {
    const d = only(compile(withConstraints(['fast is less than slow']), catalog), 'INVALID_CONSTRAINT');

    expect(d.message).toContain("'fast is less than slow'");
  });
});

describe('compile: time and look-ahead', () => {
  it('reports a negative lag as reading the future', () => {
    const input = comparing(
      [btc, { id: 'future', type: 'lag', params: { bars: -2 } }],
      'btc.close',
      'future.value',
      ['btc.close -> future.source'],
    );

    const d = only(compile(input, catalog), 'LOOKAHEAD_NEGATIVE_SHIFT');

    expect(d.nodeId).toBe('future');
    expect(d.message).toContain('2 bars into the future');
  });

  it("reports an open-timed order that depends on this bar's close and names the chain", () => {
    const order: TestNode = { id: 'buy', type: 'market_order', params: { timing: 'this_bar_open' } };
    const input = comparing(
      [btc, { id: 'avg', type: 'sma' }],
      'btc.close',
      'avg.value',
      ['btc.open -> avg.source'],
      order,
    );

    const d = only(compile(input, catalog), 'LOOKAHEAD_SAME_BAR');

    expect(d.nodeId).toBe('buy');
    expect(d.message).toContain("uses this bar's close");
    expect(d.message).toContain("'btc.close' → Compare 'above' → Enter long 'entry' → Market order 'buy'");
  });

  it("allows an open-timed order on this bar's open or on earlier bars' closes", () => {
    const order: TestNode = { id: 'buy', type: 'market_order', params: { timing: 'this_bar_open' } };
    const input = comparing(
      [btc, { id: 'prev', type: 'lag' }],
      'btc.open',
      'prev.value',
      ['btc.close -> prev.source'],
      order,
    );

    expect(compile(input, catalog).ok).toBe(true);
  });

  it('reports reading higher-timeframe candles directly, and timeframes that do not line up', () => {
    const hourly: TestNode = { id: 'h1', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '1h' } };
    const d = only(
      compile(comparing([btc, hourly], 'btc.close', 'h1.close'), catalog),
      'LOOKAHEAD_HIGHER_TIMEFRAME',
    );
    expect(d.nodeId).toBe('h1');
    expect(d.message).toContain('the 1h series would be used before its bar closes');
    expect(d.hint).toBe('read 1m candles and add a resample node to 1h');

    const threes: TestNode = { id: 'm3', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '3m' } };
    const fives: TestNode = { id: 'm5', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '5m' } };
    expect(
      only(compile(comparing([threes, fives], 'm3.close', 'm5.close'), catalog), 'TIMEFRAME_MISMATCH').nodeId,
    ).toBe('m5');
  });

  const resample = (id: string, timeframe: string): TestNode => ({
    id,
    type: 'resample',
    params: { timeframe },
  });

  it('runs nodes after a resample on its clock and counts their warm-up in base bars', () => {
    const input = comparing(
      [btc, resample('h5', '5m'), { id: 'slow', type: 'sma', params: { period: 3 } }],
      'btc.close',
      'slow.value',
      ['btc.candles -> h5.candles', 'h5.close -> slow.source'],
    );

    const plan = planOf(compile(input, catalog));

    expect(plan.clocks).toEqual([
      { timeframe: '1m', tickNodeId: null },
      { timeframe: '5m', tickNodeId: 'h5' },
    ]);
    const clockOf = Object.fromEntries(plan.nodes.map((n) => [n.id, n.clock]));
    expect(clockOf).toEqual({ btc: 0, h5: 0, slow: 1, above: 0, entry: 0, buy: 0 });
    expect(plan.warmupBars).toBe(10); // two 5m bars before the 3-bar SMA has a value
  });

  it('allows combining a resampled clock with one resampled from it, but not with an unrelated clock', () => {
    const nested = comparing([btc, resample('m5', '5m'), resample('h1', '1h')], 'm5.close', 'h1.close', [
      'btc.candles -> m5.candles',
      'm5.candles -> h1.candles',
    ]);
    const plan = planOf(compile(nested, catalog));
    expect(plan.nodes.find((n) => n.id === 'above')!.clock).toBe(1);

    const unrelated = comparing([btc, resample('m5', '5m'), resample('m3', '3m')], 'm5.close', 'm3.close', [
      'btc.candles -> m5.candles',
      'btc.candles -> m3.candles',
    ]);
    expect(only(compile(unrelated, catalog), 'TIMEFRAME_MISMATCH').nodeId).toBe('above');
  });

  it('reports a resample to a timeframe that is not a multiple of its input', () => {
    const input = comparing([btc, resample('m5', '5m'), resample('m7', '7m')], 'btc.close', 'm7.close', [
      'btc.candles -> m5.candles',
      'm5.candles -> m7.candles',
    ]);

    expect(only(compile(input, catalog), 'TIMEFRAME_MISMATCH')).toMatchObject({ nodeId: 'm7' });
  });
});

describe('compile: orders and symbols', () => {
  const eth: TestNode = { id: 'eth', type: 'candles', params: { symbol: 'ETH/USDT', timeframe: '1m' } };

  it('reports an order that mixes two symbols without saying which it trades', () => {
    const d = only(compile(comparing([btc, eth], 'btc.close', 'eth.close'), catalog), 'AMBIGUOUS_SYMBOL');

    expect(d.nodeId).toBe('buy');
    expect(d.message).toContain('BTC/USDT, ETH/USDT');
  });

  it("trades the order's symbol parameter when it names one the strategy reads", () => {
    const order: TestNode = { id: 'buy', type: 'market_order', params: { symbol: 'ETH/USDT' } };
    const plan = planOf(compile(comparing([btc, eth], 'btc.close', 'eth.close', [], order), catalog));
    expect(plan.orders).toEqual([{ nodeId: 'buy', slot: expect.any(Number), symbol: 'ETH/USDT' }]);
    expect(plan.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);

    const unknown: TestNode = { id: 'buy', type: 'market_order', params: { symbol: 'SOL/USDT' } };
    expect(
      only(compile(comparing([btc, eth], 'btc.close', 'eth.close', [], unknown), catalog), 'INVALID_PARAM')
        .param,
    ).toBe('symbol');
  });

  it("trades the graph's only symbol when the signal depends on no market data", () => {
    const input = comparing(
      [
        btc,
        { id: 'one', type: 'constant', params: { value: 1 } },
        { id: 'two', type: 'constant', params: { value: 2 } },
      ],
      'one.value',
      'two.value',
    );
    input.nodes.push({ id: 'avg', type: 'sma', version: 1, params: {} });
    input.edges!.push({ source: 'btc', sourcePort: 'close', target: 'avg', targetPort: 'source' });

    expect(planOf(compile(input, catalog)).orders[0]!.symbol).toBe('BTC/USDT');
  });

  it('reports a strategy without an order node', () => {
    const input = graph([btc, { id: 'avg', type: 'sma' }], ['btc.close -> avg.source']);

    const result = compile(input, catalog);

    expect(codesOf(result)).toEqual(['NO_ORDERS']);
    expect(result.diagnostics.some((d) => d.code === 'UNUSED_NODE')).toBe(false);
  });
});

describe('compile: size', () => {
  it('compiles a 5,000-node graph into a 5,000-node plan (its speed is in npm run bench)', () => {
    const input: GraphInput = makeChainGraph(5_000);

    const plan = planOf(compile(input, catalog, { maxNodes: 10_000 }));

    expect(plan.nodes).toHaveLength(5_000);
    expect(plan.nodes[0]!.id).toBe('feed');
  });
});
