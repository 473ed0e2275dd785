// Every node with inline (fast-kernel) code must give bit-identical values to its evaluator, on every step,
// through warm-up and gaps, and snapshots must move between the kernel modes.
import {
  type Bar,
  compile,
  createKernel,
  type GraphInput,
  generateStepSource,
  type Kernel,
  type Plan,
  type Value,
} from '@candleflow/strategy-dsl';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allNodeDefinitions, catalog } from '../index';

const SYMBOL = 'BTC/USDT';

/** Seeded bars with ties (prices on a coarse grid, so crosses touch and runs go flat) and missing steps. */
function bars(count: number, seed: number, gapEvery = 0): (Bar | undefined)[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: (Bar | undefined)[] = [];
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.max(1, Math.round((open + (random() - 0.5) * 4) * 2) / 2);
    const high = Math.max(open, close) + Math.round(random() * 2) / 2;
    const low = Math.min(open, close) - Math.round(random() * 2) / 2;
    price = close;
    const bar = {
      time: Date.UTC(2024, 0, 1) + i * 60_000,
      open,
      high,
      low,
      close,
      volume: Math.round(random() * 100),
    };
    out.push(gapEvery > 0 && i % gapEvery === gapEvery - 1 ? undefined : bar);
  }
  return out;
}

interface Spec {
  readonly id: string;
  readonly type: string;
  readonly params?: Record<string, unknown>;
}

/** A graph around `nodes`: one feed, a few source series, and an order so the strategy compiles. */
function graphWith(nodes: readonly Spec[], edges: readonly [string, string][]): GraphInput {
  const base: Spec[] = [
    { id: 'feed', type: 'candles', params: { symbol: SYMBOL, timeframe: '1m' } },
    { id: 'avg', type: 'sma', params: { period: 3 } },
    { id: 'up', type: 'compare', params: { op: '>' } },
    { id: 'high_close', type: 'compare', params: { op: '>=' } },
    { id: 'go', type: 'enter_long' },
    { id: 'buy', type: 'market_order' },
  ];
  const baseEdges: [string, string][] = [
    ['feed.close', 'avg.source'],
    ['feed.close', 'up.a'],
    ['feed.open', 'up.b'],
    ['feed.close', 'high_close.a'],
    ['avg.value', 'high_close.b'],
    ['up.value', 'go.when'],
    ['go.signal', 'buy.signal'],
  ];
  const split = (end: string) => end.split('.') as [string, string];
  return {
    schemaVersion: 1,
    name: 'inline equivalence',
    nodes: [...base, ...nodes].map((n) => ({
      id: n.id,
      type: n.type,
      version: 1,
      params: (n.params ?? {}) as never,
      position: { x: 0, y: 0 },
    })),
    edges: [...baseEdges, ...edges].map(([from, to]) => {
      const [source, sourcePort] = split(from);
      const [target, targetPort] = split(to);
      return { source, sourcePort, target, targetPort };
    }),
  };
}

function planOf(input: GraphInput): Plan {
  const result = compile(input, catalog);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return result.plan;
}

function values(kernel: Kernel, plan: Plan): Value[] {
  return plan.nodes.flatMap((node) =>
    node.definition.outputs.map((port) => kernel.value(node.id, port.name)),
  );
}

const feedOf = (bar: Bar | undefined) => new Map(bar ? [[SYMBOL, bar]] : []);

/** Every slot on every step, and the orders. */
function trace(plan: Plan, mode: 'evaluator' | 'fast', data: readonly (Bar | undefined)[], kernel?: Kernel) {
  const k = kernel ?? createKernel(plan, { mode });
  return data.map((bar, i) => {
    const orders = k.step(feedOf(bar), i).map((o) => ({ ...o }));
    return { orders, values: values(k, plan) };
  });
}

/** Numbers compared with Object.is, so -0 against 0 or any last-bit difference fails. */
function expectIdentical(actual: unknown, expected: unknown): void {
  expect(JSON.stringify(actual, (_, v) => (Object.is(v, -0) ? '-0' : v))).toBe(
    JSON.stringify(expected, (_, v) => (Object.is(v, -0) ? '-0' : v)),
  );
}

/** One case per inline node type: its inputs wired from the base series, a few parameter sets. */
const CASES: readonly { type: string; params: Record<string, unknown>[]; inputs: Record<string, string> }[] =
  [
    { type: 'candles', params: [{ symbol: SYMBOL, timeframe: '1m' }], inputs: {} },
    { type: 'constant', params: [{ value: 101.5 }, { value: -3 }], inputs: {} },
    { type: 'previous', params: [{ bars: 0 }, { bars: 1 }, { bars: 4 }], inputs: { source: 'feed.close' } },
    { type: 'sma', params: [{ period: 1 }, { period: 4 }, { period: 9 }], inputs: { source: 'feed.close' } },
    { type: 'ema', params: [{ period: 1 }, { period: 5 }], inputs: { source: 'feed.close' } },
    { type: 'wma', params: [{ period: 1 }, { period: 3 }, { period: 7 }], inputs: { source: 'feed.close' } },
    { type: 'rsi', params: [{ period: 2 }, { period: 6 }], inputs: { source: 'feed.close' } },
    { type: 'atr', params: [{ period: 1 }, { period: 5 }], inputs: { candles: 'feed.candles' } },
    { type: 'highest', params: [{ period: 1 }, { period: 5 }], inputs: { source: 'feed.high' } },
    { type: 'lowest', params: [{ period: 1 }, { period: 5 }], inputs: { source: 'feed.low' } },
    ...['add', 'subtract', 'multiply', 'min', 'max'].map((type) => ({
      type,
      params: [{}],
      inputs: { a: 'feed.close', b: 'avg.value' },
    })),
    // Volume is sometimes 0: division by zero must be null in both modes.
    { type: 'divide', params: [{}], inputs: { a: 'feed.close', b: 'feed.volume' } },
    { type: 'abs', params: [{}], inputs: { source: 'feed.close' } },
    {
      type: 'compare',
      params: [{ op: '>' }, { op: '<' }, { op: '>=' }, { op: '<=' }],
      inputs: { a: 'feed.close', b: 'avg.value' },
    },
    { type: 'crosses_above', params: [{}], inputs: { a: 'feed.close', b: 'avg.value' } },
    { type: 'crosses_below', params: [{}], inputs: { a: 'feed.close', b: 'avg.value' } },
    { type: 'and', params: [{}], inputs: { a: 'up.value', b: 'high_close.value' } },
    { type: 'or', params: [{}], inputs: { a: 'up.value', b: 'high_close.value' } },
    { type: 'not', params: [{}], inputs: { source: 'up.value' } },
    { type: 'rising', params: [{ bars: 1 }, { bars: 3 }], inputs: { source: 'feed.close' } },
    { type: 'falling', params: [{ bars: 1 }, { bars: 2 }], inputs: { source: 'feed.close' } },
    ...['enter_long', 'enter_short', 'exit_long', 'exit_short'].map((type) => ({
      type,
      params: [{}],
      inputs: { when: 'high_close.value' },
    })),
  ];

function caseGraph(c: (typeof CASES)[number], params: Record<string, unknown>): GraphInput {
  const edges = Object.entries(c.inputs).map(([port, from]): [string, string] => [from, `subject.${port}`]);
  if (c.type === 'candles') return graphWith([{ id: 'subject', type: 'candles', params }], []);
  return graphWith([{ id: 'subject', type: c.type, params }], edges);
}

describe('inline node code', () => {
  it('covers every node type that has inline code', () => {
    const inline = allNodeDefinitions.filter((d) => d.inline !== undefined).map((d) => d.type);
    expect([...new Set(CASES.map((c) => c.type))].sort()).toEqual([...inline].sort());
  });

  for (const c of CASES) {
    for (const params of c.params) {
      it(`${c.type} ${JSON.stringify(params)} gives every slot the evaluator's value on every step, through gaps`, () => {
        const plan = planOf(caseGraph(c, params));
        const data = bars(160, 3, 23);

        const fast = trace(plan, 'fast', data);
        const evaluator = trace(plan, 'evaluator', data);

        expectIdentical(fast, evaluator);
        // The case must exercise the node: its first output has a value on some steps and not on others.
        const kernel = createKernel(plan, { mode: 'fast' });
        const port = plan.nodes.find((n) => n.id === 'subject')!.definition.outputs[0]!.name;
        const seen = data.map((bar, i) => {
          kernel.step(feedOf(bar), i);
          return kernel.value('subject', port) !== null;
        });
        expect(seen).toContain(true);
        if (c.type !== 'constant') expect(seen).toContain(false);
      });
    }
  }

  it.each(CASES.filter((c) => c.type !== 'candles'))(
    'moves a $type snapshot between kernel modes in both directions, during and after warm-up',
    (c) => {
      const plan = planOf(caseGraph(c, c.params.at(-1)!));
      const data = bars(90, 11, 17);
      const reference = trace(plan, 'evaluator', data);
      for (const at of [1, 4, 10, 40]) {
        for (const [from, to] of [
          ['fast', 'evaluator'],
          ['evaluator', 'fast'],
        ] as const) {
          const first = createKernel(plan, { mode: from });
          trace(plan, from, data.slice(0, at), first);
          const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
          const second = createKernel(plan, { mode: to });
          second.restore(snapshot);

          const rest = data.slice(at).map((bar, i) => {
            const orders = second.step(feedOf(bar), at + i).map((o) => ({ ...o }));
            return { orders, values: values(second, plan) };
          });

          expectIdentical(rest, reference.slice(at));
        }
      }
    },
  );

  it('takes the same snapshot in both modes', () => {
    const c = CASES.find((x) => x.type === 'sma')!;
    const plan = planOf(caseGraph(c, { period: 4 }));
    const data = bars(30, 5, 7);
    const snapshots = (['fast', 'evaluator'] as const).map((mode) => {
      const kernel = createKernel(plan, { mode });
      trace(plan, mode, data, kernel);
      return JSON.parse(JSON.stringify(kernel.snapshot()));
    });
    expect(snapshots[0]).toEqual(snapshots[1]);
  });

  it('refuses a malformed inline snapshot with the evaluator restore message', () => {
    const c = CASES.find((x) => x.type === 'ema')!;
    const plan = planOf(caseGraph(c, { period: 5 }));
    const kernel = createKernel(plan, { mode: 'fast' });
    const snapshot = JSON.parse(JSON.stringify(kernel.snapshot()));
    const subject = plan.nodes.findIndex((n) => n.id === 'subject');
    snapshot.evaluators[subject] = { seen: 'three' };
    expect(() => kernel.restore(snapshot)).toThrow(/ema: cannot restore snapshot, "seen" is not a number/);
  });

  it('keeps user text out of the generated source when nodes run inline', () => {
    const evil = 'x"];process.exit(1);//';
    const input = graphWith(
      [
        { id: 'evil_ema', type: 'ema', params: { period: 3 } },
        { id: 'evil_cmp', type: 'compare', params: { op: '<' } },
      ],
      [
        ['feed.close', 'evil_ema.source'],
        ['feed.close', 'evil_cmp.a'],
        ['evil_ema.value', 'evil_cmp.b'],
      ],
    );
    const nodes = input.nodes.map((n) =>
      n.type === 'candles' ? { ...n, params: { symbol: evil, timeframe: '1m' } } : n,
    );
    const plan = planOf({ ...input, nodes, name: `*/ ${evil}` });

    const source = generateStepSource(plan);

    expect(source).not.toMatch(/evil|process|feed|ema|compare/);
    expect(source).not.toMatch(/['`\\]/);
    const words = new Set(source.match(/[A-Za-z_$][\w$]*/g));
    const allowed =
      /^(use|strict|const|let|function|return|if|else|for|while|break|null|undefined|true|false|NaN|Math|abs|max|min|step|settle|update|ctx|evaluator|inputs|out|ports|values|bars|barIndex|get|time|open|high|low|close|volume|length|intent|push|timeOfAnyBar|Y|REC|RES|FB|loop|try|finally|for|break|from|to|first|row|hit|last|open|high|low|close|volume|barOf|U|C|BR|(TI|OP|HI|LO|CL|VO|BR|w)\d+|[fqgr]\d+|[RFBGZPONTDSvbA]|[eiomacdAtzkb]\d+(_\d+)?)$/;
    expect([...words].filter((w) => !allowed.test(w))).toEqual([]);
  });
});

/** Random small graphs of inline nodes, each reading earlier outputs of the kinds it needs. */
const NUMBER_SOURCES = ['feed.open', 'feed.high', 'feed.low', 'feed.close', 'feed.volume', 'avg.value'];
const BOOLEAN_SOURCES = ['up.value', 'high_close.value'];

const nodeChoice = fc.oneof(
  fc.record({
    type: fc.constantFrom('sma', 'ema', 'wma', 'highest', 'lowest'),
    params: fc.record({ period: fc.integer({ min: 1, max: 6 }) }),
  }),
  fc.record({ type: fc.constant('rsi'), params: fc.record({ period: fc.integer({ min: 2, max: 5 }) }) }),
  fc.record({ type: fc.constant('previous'), params: fc.record({ bars: fc.integer({ min: 0, max: 3 }) }) }),
  fc.record({
    type: fc.constantFrom('rising', 'falling'),
    params: fc.record({ bars: fc.integer({ min: 1, max: 3 }) }),
  }),
  fc.record({
    type: fc.constantFrom(
      'add',
      'subtract',
      'multiply',
      'divide',
      'min',
      'max',
      'crosses_above',
      'crosses_below',
    ),
    params: fc.constant({}),
  }),
  fc.record({
    type: fc.constant('compare'),
    params: fc.record({ op: fc.constantFrom('>', '<', '>=', '<=') }),
  }),
  fc.record({ type: fc.constantFrom('and', 'or'), params: fc.constant({}) }),
  fc.record({ type: fc.constantFrom('abs', 'not'), params: fc.constant({}) }),
);

describe('random graphs of inline nodes', () => {
  it('run identically in fast and evaluator mode', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nodeChoice, fc.nat(), fc.nat()), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(0, 5, 13),
        (choices, seed, gapEvery) => {
          const numbers = [...NUMBER_SOURCES];
          const booleans = [...BOOLEAN_SOURCES];
          const nodes: Spec[] = [];
          const edges: [string, string][] = [];
          choices.forEach(([choice, i, j], k) => {
            const definition = catalog.get(choice.type, 1)!;
            const id = `n${k}`;
            nodes.push({ id, type: choice.type, params: choice.params });
            definition.inputs.forEach((port, p) => {
              const pool = port.kind === 'boolean' ? booleans : numbers;
              edges.push([pool[(p === 0 ? i : j) % pool.length]!, `${id}.${port.name}`]);
            });
            const output = definition.outputs[0]!;
            (output.kind === 'boolean' ? booleans : numbers).push(`${id}.${output.name}`);
          });
          const plan = planOf(graphWith(nodes, edges));
          const data = bars(80, seed, gapEvery);
          expectIdentical(trace(plan, 'fast', data), trace(plan, 'evaluator', data));
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** Aligned columns of one symbol's bars (a gap-free series, as Kernel.run takes them). */
function columnsOf(data: readonly Bar[]) {
  const column = (field: keyof Bar) => Float64Array.from(data, (bar) => bar[field]);
  return {
    time: column('time'),
    open: column('open'),
    high: column('high'),
    low: column('low'),
    close: column('close'),
    volume: column('volume'),
  };
}

/** The steps with orders and the values after the last step, by step() or by run(). */
function batchTrace(plan: Plan, mode: 'evaluator' | 'fast', how: 'step' | 'run', data: readonly Bar[][]) {
  const kernel = createKernel(plan, { mode });
  const steps: unknown[] = [];
  if (how === 'step') {
    data[0]!.forEach((_, i) => {
      const feed = new Map(plan.symbols.map((symbol, k) => [symbol, data[k]![i]!]));
      const orders = kernel.step(feed, i);
      if (orders.length > 0)
        steps.push({ i, orders: orders.map((o) => ({ ...o })), values: values(kernel, plan) });
    });
  } else {
    const series = new Map(plan.symbols.map((symbol, k) => [symbol, columnsOf(data[k]!)]));
    kernel.run({ series }, (i, orders) => {
      steps.push({ i, orders: orders.map((o) => ({ ...o })), values: values(kernel, plan) });
    });
  }
  return { steps, values: values(kernel, plan), snapshot: kernel.snapshot() };
}

const examplesDir = new URL('../../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.json'));

describe('Kernel.run (the batch loop)', () => {
  it('has example strategies to check', () => {
    expect(examples.length).toBeGreaterThan(3);
  });

  for (const name of examples) {
    it(`runs ${name} like step() in both modes: every order, the values on each order step and at the end`, () => {
      const input = JSON.parse(readFileSync(new URL(name, examplesDir), 'utf8')) as GraphInput;
      const plan = planOf(input);
      const baseMs = plan.baseTimeframe === '1h' ? 3_600_000 : 60_000;
      const data = plan.symbols.map((_, k) =>
        bars(1500, 7 + k).map((bar, i) => ({ ...bar!, time: Date.UTC(2024, 0, 1) + i * baseMs })),
      );

      const reference = batchTrace(plan, 'evaluator', 'step', data);

      expect(reference.steps.length).toBeGreaterThan(0);
      expectIdentical(batchTrace(plan, 'fast', 'run', data), reference);
      expectIdentical(batchTrace(plan, 'fast', 'step', data), reference);
      expectIdentical(batchTrace(plan, 'evaluator', 'run', data), reference);
    });
  }

  it('runs random graphs of inline nodes ending in sized, protected orders like step() in evaluator mode', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nodeChoice, fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 1000 }),
        (choices, seed) => {
          const numbers = [...NUMBER_SOURCES];
          const booleans = [...BOOLEAN_SOURCES];
          const nodes: Spec[] = [
            { id: 'range', type: 'atr', params: { period: 3 } },
            { id: 'stop', type: 'stop_loss', params: { mode: 'atr', multiple: 2 } },
            { id: 'size', type: 'risk_size', params: { riskPercent: 1, atrMult: 2 } },
            { id: 'long', type: 'enter_long' },
            { id: 'flat', type: 'exit_long' },
            { id: 'entry', type: 'market_order' },
            { id: 'exit', type: 'market_order' },
          ];
          const edges: [string, string][] = [
            ['feed.candles', 'range.candles'],
            ['range.value', 'stop.atr'],
            ['range.value', 'size.atr'],
            ['long.signal', 'entry.signal'],
            ['size.sizing', 'entry.size'],
            ['stop.exit', 'entry.exits'],
            ['flat.signal', 'exit.signal'],
          ];
          choices.forEach(([choice, i, j], k) => {
            const definition = catalog.get(choice.type, 1)!;
            const id = `n${k}`;
            nodes.push({ id, type: choice.type, params: choice.params });
            definition.inputs.forEach((port, p) => {
              const pool = port.kind === 'boolean' ? booleans : numbers;
              edges.push([pool[(p === 0 ? i : j) % pool.length]!, `${id}.${port.name}`]);
            });
            const output = definition.outputs[0]!;
            (output.kind === 'boolean' ? booleans : numbers).push(`${id}.${output.name}`);
          });
          edges.push([booleans.at(-1)!, 'long.when'], [booleans.at(-2)!, 'flat.when']);
          const plan = planOf(graphWith(nodes, edges));
          const data = [bars(120, seed).map((bar) => bar!)];

          expectIdentical(batchTrace(plan, 'fast', 'run', data), batchTrace(plan, 'evaluator', 'step', data));
        },
      ),
      { numRuns: 30 },
    );
  });
});
