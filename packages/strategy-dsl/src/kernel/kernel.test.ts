import { describe, expect, it } from 'vitest';
import type { Bar, Value } from '../contract';
import type { GraphInput } from '../graph';
import { compile } from '../compiler/index';
import type { KernelOrder, Plan } from '../plan';
import {
  createTestCatalog,
  graph,
  makeChainGraph,
  randomWalkBars,
  smaCrossGraph,
} from '../test-support/index';
import { generateStepSource } from './codegen';
import { createKernel, type Kernel } from './kernel';

const catalog = createTestCatalog();
const SYMBOL = 'BTC/USDT';

function planOf(input: GraphInput): Plan {
  const result = compile(input, catalog);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return result.plan;
}

const barsOf = (bar: Bar | undefined): ReadonlyMap<string, Bar> => new Map(bar ? [[SYMBOL, bar]] : []);

/** Runs `bars` through a kernel; returns the orders of each step, copied. */
function runAll(kernel: Kernel, bars: readonly (Bar | undefined)[], from = 0): KernelOrder[][] {
  return bars.map((bar, i) => kernel.step(barsOf(bar), from + i).map((o) => ({ ...o })));
}

/** Independent SMA: the mean of the last `period` values, null before there are enough. */
function sma(values: readonly number[], period: number): (number | null)[] {
  return values.map((_, i) =>
    i + 1 < period ? null : values.slice(i + 1 - period, i + 1).reduce((a, b) => a + b, 0) / period,
  );
}

/** Two 5m resamples of 1m candles: an SMA on the 5m clock, compared on the 1m clock with the 1m close. */
function resampleGraph(): GraphInput {
  return graph(
    [
      { id: 'btc', type: 'candles', params: { symbol: SYMBOL, timeframe: '1m' } },
      { id: 'h5', type: 'resample', params: { timeframe: '5m' } },
      { id: 'slow', type: 'sma', params: { period: 2 } },
      { id: 'above', type: 'compare' },
      { id: 'entry', type: 'enter_long' },
      { id: 'buy', type: 'market_order' },
    ],
    [
      'btc.candles -> h5.candles',
      'h5.close -> slow.source',
      'btc.close -> above.a',
      'slow.value -> above.b',
      'above.result -> entry.when',
      'entry.signal -> buy.signal',
    ],
  );
}

/** An order with a sizing-free entry and two stop losses on its `multiple` exits input. */
function exitsGraph(): GraphInput {
  return graph(
    [
      { id: 'btc', type: 'candles', params: { symbol: SYMBOL, timeframe: '1m' } },
      { id: 'prev', type: 'lag', params: { bars: 1 } },
      { id: 'up', type: 'compare' },
      { id: 'entry', type: 'enter_long' },
      { id: 'tight', type: 'stop_loss', params: { percent: 1 } },
      { id: 'wide', type: 'stop_loss', params: { percent: 5 } },
      { id: 'buy', type: 'market_order' },
    ],
    [
      'btc.close -> prev.source',
      'btc.close -> up.a',
      'prev.value -> up.b',
      'up.result -> entry.when',
      'entry.signal -> buy.signal',
      'tight.exit -> buy.exits',
      'wide.exit -> buy.exits',
    ],
  );
}

describe('createKernel', () => {
  it('computes the SMA of closes and orders exactly on bars where the close is above it', () => {
    const bars = randomWalkBars(200, 7);
    const kernel = createKernel(planOf(smaCrossGraph(5)));
    const expectedSma = sma(
      bars.map((b) => b.close),
      5,
    );

    bars.forEach((bar, i) => {
      const orders = kernel.step(barsOf(bar), i);
      const expected = expectedSma[i]!;
      if (expected === null) expect(kernel.value('avg', 'value')).toBeNull();
      else expect(kernel.value('avg', 'value')).toBeCloseTo(expected, 9);
      const shouldBuy = expected !== null && bar.close > expected;
      expect(orders.length).toBe(shouldBuy ? 1 : 0);
      if (shouldBuy) {
        expect(orders[0]).toMatchObject({ nodeId: 'buy', symbol: SYMBOL, intent: { action: 'enter_long' } });
      }
    });
  });

  it('sets outputs to null on a step without a bar and resumes the indicator where it left off', () => {
    const bars = randomWalkBars(12, 3);
    const kernel = createKernel(planOf(smaCrossGraph(3)));
    const fed = [...bars.slice(0, 6), undefined, ...bars.slice(6)];

    const orders = runAll(kernel, fed.slice(0, 7));
    expect(kernel.value('btc', 'close')).toBeNull();
    expect(kernel.value('avg', 'value')).toBeNull();
    expect(orders[6]).toEqual([]);
    runAll(kernel, fed.slice(7), 7);

    // The missing step never reached the SMA, so it averages the last three bars it saw.
    const lastThree = bars.slice(-3).reduce((sum, b) => sum + b.close, 0) / 3;
    expect(kernel.value('avg', 'value')).toBeCloseTo(lastThree, 9);
  });

  it('updates resampled-clock nodes only when the higher-timeframe bar closes and holds them in between', () => {
    const bars = randomWalkBars(40, 11, Date.UTC(2024, 0, 1));
    const kernel = createKernel(planOf(resampleGraph()));
    // Independently: the 5m close is the close of the last 1m bar of each 5-minute bucket.
    const closes5m: number[] = [];
    bars.forEach((bar, i) => {
      kernel.step(barsOf(bar), i);
      const bucketEnds = (bar.time / 60_000 + 1) % 5 === 0;
      if (bucketEnds) closes5m.push(bar.close);
      const expected = closes5m.length >= 2 ? (closes5m.at(-1)! + closes5m.at(-2)!) / 2 : null;
      if (expected === null) expect(kernel.value('slow', 'value')).toBeNull();
      else expect(kernel.value('slow', 'value')).toBeCloseTo(expected, 9);
      expect(kernel.value('h5', 'closed')).toBe(bucketEnds);
      expect(kernel.value('above', 'result')).toBe(expected === null ? null : bar.close > expected);
    });
    expect(closes5m).toHaveLength(8);
  });

  it('hands every edge of a multiple input to the evaluator as one array', () => {
    const bars = randomWalkBars(30, 5);
    const kernel = createKernel(planOf(exitsGraph()));
    const orders = runAll(kernel, bars).flat();
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) {
      expect(order.intent.exits).toEqual([
        { kind: 'stop_loss', percent: 1 },
        { kind: 'stop_loss', percent: 5 },
      ]);
    }
  });

  it('reuses the returned array between steps', () => {
    const kernel = createKernel(planOf(smaCrossGraph(1)));
    const [a, b] = randomWalkBars(2, 1);
    expect(kernel.step(barsOf(a), 0)).toBe(kernel.step(barsOf(b), 1));
  });

  it('names the node and the outputs when asked for a value that does not exist', () => {
    const kernel = createKernel(planOf(smaCrossGraph()));
    expect(() => kernel.value('nope', 'value')).toThrow(/no node 'nope'/);
    expect(() => kernel.value('avg', 'result')).toThrow(/its outputs are value/);
  });
});

describe('fast mode', () => {
  /** Every slot of every step, read through the public value() API. */
  function trace(plan: Plan, mode: 'evaluator' | 'fast', bars: readonly (Bar | undefined)[]): Value[][] {
    const kernel = createKernel(plan, { mode });
    return bars.map((bar, i) => {
      kernel.step(barsOf(bar), i);
      return plan.nodes.flatMap((node) =>
        node.definition.outputs.map((port) => kernel.value(node.id, port.name)),
      );
    });
  }

  const graphs: [string, GraphInput][] = [
    ['sma cross', smaCrossGraph(4)],
    ['resample', resampleGraph()],
    ['multiple exits', exitsGraph()],
    ['chain of 60', makeChainGraph(60)],
  ];

  it.each(graphs)('gives the same value in every slot on every step as evaluator mode: %s', (_, input) => {
    const plan = planOf(input);
    // A few hundred bars, with gaps where the symbol has no bar.
    const bars = randomWalkBars(300, 42).map((bar, i) => (i % 37 === 36 ? undefined : bar));
    expect(trace(plan, 'fast', bars)).toEqual(trace(plan, 'evaluator', bars));
  });

  it('keeps user text out of the generated source and still runs identically', () => {
    const evil = 'x"];process.exit(1);//';
    const input = graph(
      [
        { id: 'evil_feed_id', type: 'candles', params: { symbol: evil, timeframe: '1m' } },
        { id: 'evil_sma_id', type: 'sma', params: { period: 2 } },
        { id: 'evil_cmp_id', type: 'compare' },
        { id: 'evil_entry_id', type: 'enter_long' },
        { id: 'evil_order_id', type: 'market_order', params: { symbol: evil } },
      ],
      [
        'evil_feed_id.close -> evil_sma_id.source',
        'evil_feed_id.close -> evil_cmp_id.a',
        'evil_sma_id.value -> evil_cmp_id.b',
        'evil_cmp_id.result -> evil_entry_id.when',
        'evil_entry_id.signal -> evil_order_id.signal',
      ],
      { name: `*/ ${evil}` },
    );
    const plan = planOf(input);
    const source = generateStepSource(plan);
    expect(source).not.toContain('process');
    expect(source).not.toContain('evil');
    expect(source).not.toContain('market_order');
    // Every word in the source is ours: keywords, generated locals and the names of runtime fields.
    const words = new Set(source.match(/[A-Za-z_$][\w$]*/g));
    const allowed =
      /^(use|strict|const|let|function|return|if|else|null|undefined|true|false|NaN|step|settle|update|ctx|evaluator|inputs|out|ports|values|bars|barIndex|get|time|length|intent|push|timeOfAnyBar|Y|REC|RES|FB|loop|try|finally|for|break|from|to|first|row|hit|last|open|high|low|close|volume|barOf|U|C|BR|(TI|OP|HI|LO|CL|VO|BR|w)\d+|[fqgr]\d+|[RFBGZPONTDSvb]|[eiomacdAtzkb]\d+(_\d+)?)$/;
    expect([...words].filter((w) => !allowed.test(w))).toEqual([]);

    const bars = randomWalkBars(50, 9);
    const run = (mode: 'evaluator' | 'fast') => {
      const kernel = createKernel(plan, { mode });
      return bars.map((bar, i) => kernel.step(new Map([[evil, bar]]), i).map((o) => ({ ...o })));
    };
    const fast = run('fast');
    expect(fast.flat().length).toBeGreaterThan(0);
    expect(fast).toEqual(run('evaluator'));
  });
});

describe('snapshot and restore', () => {
  it.each(['evaluator', 'fast'] as const)(
    'continues from a JSON round-tripped snapshot exactly as the original kernel (%s mode)',
    (mode) => {
      const plan = planOf(resampleGraph());
      const bars = randomWalkBars(120, 21);
      const original = createKernel(plan, { mode });
      runAll(original, bars.slice(0, 57));
      const snapshot = JSON.parse(JSON.stringify(original.snapshot()));

      const expected = runAll(original, bars.slice(57), 57);
      const expectedValues = plan.nodes.map((n) => original.value(n.id, n.definition.outputs[0]!.name));
      const restored = createKernel(plan, { mode });
      restored.restore(snapshot);
      const actual = runAll(restored, bars.slice(57), 57);

      expect(actual).toEqual(expected);
      expect(plan.nodes.map((n) => restored.value(n.id, n.definition.outputs[0]!.name))).toEqual(
        expectedValues,
      );
    },
  );

  it('restores held values before the first new step, including numbers JSON cannot write', () => {
    const plan = planOf(smaCrossGraph(2));
    const kernel = createKernel(plan);
    const [bar] = randomWalkBars(1, 2);
    kernel.step(barsOf({ ...bar!, volume: Number.POSITIVE_INFINITY }), 0);

    const restored = createKernel(plan);
    restored.restore(JSON.parse(JSON.stringify(kernel.snapshot())));

    expect(restored.value('btc', 'volume')).toBe(Number.POSITIVE_INFINITY);
    expect(restored.value('btc', 'close')).toBe(bar!.close);
  });

  it('refuses a snapshot taken from another plan', () => {
    const snapshot = createKernel(planOf(smaCrossGraph())).snapshot();
    const other = createKernel(planOf(exitsGraph()));
    expect(() => other.restore(snapshot)).toThrow(/different plan/);
  });
});
