// Kernel.run (the batch API over columns) must give exactly what step() gives bar by bar, in both modes,
// and leave the kernel where step() would have left it.
import { describe, expect, it } from 'vitest';
import type { Bar } from '../contract';
import { compile } from '../compiler/index';
import type { GraphInput } from '../graph';
import type { KernelOrder, Plan } from '../plan';
import {
  createTestCatalog,
  graph,
  makeChainGraph,
  randomWalkBars,
  smaCrossGraph,
} from '../test-support/index';
import type { BarColumns } from './fast';
import { createKernel, type Kernel, type KernelOptions } from './kernel';

const catalog = createTestCatalog();
const SYMBOL = 'BTC/USDT';
const MODES = ['evaluator', 'fast'] as const;

function planOf(input: GraphInput): Plan {
  const result = compile(input, catalog);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return result.plan;
}

function columnsOf(bars: readonly Bar[]): BarColumns {
  const column = (field: keyof Bar) => Float64Array.from(bars, (bar) => bar[field]);
  return {
    time: column('time'),
    open: column('open'),
    high: column('high'),
    low: column('low'),
    close: column('close'),
    volume: column('volume'),
  };
}

interface Step {
  readonly barIndex: number;
  readonly orders: readonly KernelOrder[];
}

/** step() per bar: the steps that had orders, copied. */
function stepped(kernel: Kernel, bars: readonly Bar[], firstIndex = 0): Step[] {
  const steps: Step[] = [];
  bars.forEach((bar, i) => {
    const orders = kernel.step(new Map([[SYMBOL, bar]]), firstIndex + i);
    if (orders.length > 0) steps.push({ barIndex: firstIndex + i, orders: orders.map((o) => ({ ...o })) });
  });
  return steps;
}

function ran(kernel: Kernel, input: Parameters<Kernel['run']>[0]): Step[] {
  const steps: Step[] = [];
  kernel.run(input, (barIndex, orders) => {
    steps.push({ barIndex, orders: orders.map((o) => ({ ...o })) });
  });
  return steps;
}

/** Every output of every node, as value() reads it. */
function values(kernel: Kernel, plan: Plan): unknown[] {
  return plan.nodes.flatMap((node) =>
    node.definition.outputs.map((port) => kernel.value(node.id, port.name)),
  );
}

/** Two 5m resamples of 1m candles, stop losses on a multiple input: clocks, feeds and pure nodes. */
function busyGraph(): GraphInput {
  return graph(
    [
      { id: 'btc', type: 'candles', params: { symbol: SYMBOL, timeframe: '1m' } },
      { id: 'h5', type: 'resample', params: { timeframe: '5m' } },
      { id: 'slow', type: 'sma', params: { period: 2 } },
      { id: 'prev', type: 'lag', params: { bars: 1 } },
      { id: 'above', type: 'compare' },
      { id: 'entry', type: 'enter_long' },
      { id: 'tight', type: 'stop_loss', params: { percent: 1 } },
      { id: 'wide', type: 'stop_loss', params: { percent: 5 } },
      { id: 'buy', type: 'market_order' },
    ],
    [
      'btc.candles -> h5.candles',
      'h5.close -> slow.source',
      'btc.close -> prev.source',
      'prev.value -> above.a',
      'slow.value -> above.b',
      'above.result -> entry.when',
      'entry.signal -> buy.signal',
      'tight.exit -> buy.exits',
      'wide.exit -> buy.exits',
    ],
  );
}

/** An up-close entry on each of two symbols. */
function twoSymbolGraph(): GraphInput {
  const nodes = ['btc', 'eth'].flatMap((s) => [
    { id: s, type: 'candles', params: { symbol: `${s.toUpperCase()}/USDT`, timeframe: '1m' } },
    { id: `${s}_up`, type: 'compare' },
    { id: `${s}_entry`, type: 'enter_long' },
    { id: `${s}_buy`, type: 'market_order' },
  ]);
  const edges = ['btc', 'eth'].flatMap((s) => [
    `${s}.close -> ${s}_up.a`,
    `${s}.open -> ${s}_up.b`,
    `${s}_up.result -> ${s}_entry.when`,
    `${s}_entry.signal -> ${s}_buy.signal`,
  ]);
  return graph(nodes, edges);
}

const GRAPHS: readonly [string, () => GraphInput][] = [
  ['an SMA cross', () => smaCrossGraph(4)],
  ['resampled clocks and multiple exits', busyGraph],
  // Larger than the plans whose batch loop keeps values in locals: the loop on the typed stores.
  ['a 60-node chain', () => makeChainGraph(60)],
];

describe('Kernel.run', () => {
  for (const [name, make] of GRAPHS) {
    for (const mode of MODES) {
      it(`gives the orders, values and snapshot of step() on ${name} (${mode} mode)`, () => {
        const plan = planOf(make());
        const bars = randomWalkBars(300, 17);
        const byStep = createKernel(plan, { mode });
        const byRun = createKernel(plan, { mode });

        const expected = stepped(byStep, bars);
        const actual = ran(byRun, { series: new Map([[SYMBOL, columnsOf(bars)]]) });

        expect(expected.length).toBeGreaterThan(0);
        expect(actual).toEqual(expected);
        expect(values(byRun, plan)).toEqual(values(byStep, plan));
        expect(byRun.snapshot()).toEqual(byStep.snapshot());
      });
    }
  }

  it.each(MODES)(
    'runs rows from..to as bar indices counted from barIndex, and step() carries on (%s)',
    (mode) => {
      const plan = planOf(busyGraph());
      const bars = randomWalkBars(200, 4);
      const series = new Map([[SYMBOL, columnsOf(bars)]]);
      const reference = createKernel(plan, { mode });
      const mixed = createKernel(plan, { mode });

      const expected = stepped(reference, bars.slice(20, 150), 1000);
      const actual = [
        ...stepped(mixed, bars.slice(20, 50), 1000),
        ...ran(mixed, { series, from: 50, to: 120, barIndex: 1030 }),
        ...stepped(mixed, bars.slice(120, 150), 1100),
      ];

      expect(actual).toEqual(expected);
      expect(mixed.snapshot()).toEqual(reference.snapshot());
    },
  );

  it.each(MODES)('numbers bars by row when no barIndex is given (%s)', (mode) => {
    const plan = planOf(smaCrossGraph(2));
    const bars = randomWalkBars(60, 8);
    const steps = ran(createKernel(plan, { mode }), {
      series: new Map([[SYMBOL, columnsOf(bars)]]),
      from: 10,
    });
    const expected = stepped(createKernel(plan, { mode }), bars.slice(10), 10);
    expect(steps.map((s) => s.barIndex)).toEqual(expected.map((s) => s.barIndex));
    expect(steps[0]!.barIndex).toBeGreaterThanOrEqual(10);
  });

  it.each(MODES)('lets the callback read values and take a snapshot of the step it reports (%s)', (mode) => {
    const plan = planOf(busyGraph());
    const bars = randomWalkBars(120, 6);
    const reference = createKernel(plan, { mode });
    const expected = new Map<number, unknown>();
    bars.forEach((bar, i) => {
      if (reference.step(new Map([[SYMBOL, bar]]), i).length > 0) {
        expected.set(i, { values: values(reference, plan), snapshot: reference.snapshot() });
      }
    });
    const kernel = createKernel(plan, { mode });
    const seen = new Map<number, unknown>();

    kernel.run({ series: new Map([[SYMBOL, columnsOf(bars)]]) }, (barIndex) => {
      seen.set(barIndex, { values: values(kernel, plan), snapshot: kernel.snapshot() });
    });

    expect(seen.size).toBeGreaterThan(0);
    expect(seen).toEqual(expected);
  });

  it('hands the callback bars it may keep: a bar read from the kernel stays as it was', () => {
    const plan = planOf(smaCrossGraph(2));
    const bars = randomWalkBars(50, 2);
    const kernel = createKernel(plan, { mode: 'fast' });
    const kept: unknown[] = [];

    kernel.run({ series: new Map([[SYMBOL, columnsOf(bars)]]) }, (barIndex) => {
      kept.push([barIndex, kernel.value('btc', 'candles')]);
    });

    expect(kept.length).toBeGreaterThan(1);
    for (const entry of kept) {
      const [barIndex, bar] = entry as [number, Bar];
      expect(bar).toEqual(bars[barIndex]);
    }
  });

  it.each(MODES)('refuses to be run or restored from inside its own callback (%s)', (mode) => {
    const plan = planOf(smaCrossGraph(2));
    const series = new Map([[SYMBOL, columnsOf(randomWalkBars(40, 3))]]);
    const kernel = createKernel(plan, { mode });
    const snapshot = kernel.snapshot();

    expect(() => kernel.run({ series }, () => kernel.run({ series }, () => {}))).toThrow(
      /inside run\(\)'s onOrders callback/,
    );
    expect(() => kernel.run({ series }, () => kernel.restore(snapshot))).toThrow(/restore\(\) was called/);
    // The guard is released after a throw.
    expect(() => kernel.restore(snapshot)).not.toThrow();
  });

  it.each(MODES)('runs aligned series of two symbols like step() with both bars (%s)', (mode) => {
    const plan = planOf(twoSymbolGraph());
    const btc = randomWalkBars(80, 1);
    const eth = randomWalkBars(80, 2);
    const reference = createKernel(plan, { mode });
    const expected: Step[] = [];
    btc.forEach((bar, i) => {
      const orders = reference.step(
        new Map([
          ['BTC/USDT', bar],
          ['ETH/USDT', eth[i]!],
        ]),
        i,
      );
      if (orders.length > 0) expected.push({ barIndex: i, orders: orders.map((o) => ({ ...o })) });
    });

    const actual = ran(createKernel(plan, { mode }), {
      series: new Map([
        ['BTC/USDT', columnsOf(btc)],
        ['ETH/USDT', columnsOf(eth)],
      ]),
    });

    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('refuses series of two symbols whose times differ, naming the row', () => {
    const btc = randomWalkBars(10, 1);
    const eth = randomWalkBars(10, 2, Date.UTC(2024, 0, 1) + 60_000);
    const kernel = createKernel(planOf(twoSymbolGraph()), { mode: 'fast' });

    expect(() =>
      kernel.run(
        {
          series: new Map([
            ['BTC/USDT', columnsOf(btc)],
            ['ETH/USDT', columnsOf(eth)],
          ]),
        },
        () => {},
      ),
    ).toThrow(/different times on row 0.*step\(\)/);
  });

  it.each(MODES)('steps a plan whose symbol is missing like step() without its bars (%s)', (mode) => {
    const input = graph(
      [
        { id: 'btc', type: 'candles', params: { symbol: 'BTC/USDT', timeframe: '1m' } },
        { id: 'eth', type: 'candles', params: { symbol: 'ETH/USDT', timeframe: '1m' } },
        { id: 'above', type: 'compare' },
        { id: 'entry', type: 'enter_long' },
        { id: 'buy', type: 'market_order' },
      ],
      [
        'btc.close -> above.a',
        'btc.open -> above.b',
        'above.result -> entry.when',
        'entry.signal -> buy.signal',
      ],
    );
    const plan = planOf(input);
    const btc = randomWalkBars(40, 5);
    const reference = createKernel(plan, { mode });
    const kernel = createKernel(plan, { mode });

    const expected = btc.flatMap((bar, i) => {
      const orders = reference.step(new Map([['BTC/USDT', bar]]), i);
      return orders.length > 0 ? [{ barIndex: i, orders: orders.map((o) => ({ ...o })) }] : [];
    });
    const actual = ran(kernel, { series: new Map([['BTC/USDT', columnsOf(btc)]]) });

    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(kernel.value('eth', 'close')).toBeNull();
  });

  it('says which rows are valid when from/to are not a range of the series', () => {
    const kernel = createKernel(planOf(smaCrossGraph(2)), { mode: 'fast' });
    const series = new Map([[SYMBOL, columnsOf(randomWalkBars(10, 1))]]);
    expect(() => kernel.run({ series, from: 5, to: 11 }, () => {})).toThrow(/0 <= from <= to <= 10/);
    expect(() => kernel.run({ series, from: 6, to: 5 }, () => {})).toThrow(/not a range/);
    expect(() => kernel.run({ series, from: 1.5 }, () => {})).toThrow(/not a range/);
  });

  it('names the symbols it needs when the series has none of them', () => {
    const kernel = createKernel(planOf(smaCrossGraph(2)));
    const series = new Map([['ETH/USDT', columnsOf(randomWalkBars(10, 1))]]);
    expect(() => kernel.run({ series }, () => {})).toThrow(/BTC\/USDT/);
  });

  it.each<KernelOptions['mode']>(MODES)('does nothing for an empty range (%s)', (mode) => {
    const plan = planOf(smaCrossGraph(2));
    const kernel = createKernel(plan, { mode });
    const before = kernel.snapshot();
    const calls: number[] = [];
    kernel.run({ series: new Map([[SYMBOL, columnsOf(randomWalkBars(10, 1))]]), from: 4, to: 4 }, (i) =>
      calls.push(i),
    );
    expect(calls).toEqual([]);
    expect(kernel.snapshot()).toEqual(before);
  });
});
