// A tiny fake node catalog for the compiler and kernel tests. The real catalog lives in packages/nodes;
// these nodes implement the same contract with as little code as possible.
import { z } from 'zod';
import {
  type Bar,
  createCatalog,
  defineNode,
  type Evaluator,
  type Exit,
  NO_STATE,
  type NodeCatalog,
  type OrderIntent,
  type Signal,
  type Sizing,
  type Value,
} from '../contract';
import { bucketStart, requireTimeframeMs } from '../timeframe';

const stateless = (update: Evaluator['update']): Evaluator => ({
  update,
  snapshot: () => NO_STATE,
  restore: () => {},
});

/** A fixed-size ring of the last `size` numbers; the shared state of lag and sma. */
class Ring {
  values: number[];
  next = 0;
  count = 0;
  constructor(readonly size: number) {
    this.values = new Array<number>(size).fill(0);
  }
  push(value: number): number {
    const dropped = this.values[this.next] ?? 0;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
    return dropped;
  }
  snapshot() {
    return { values: [...this.values], next: this.next, count: this.count };
  }
  restore(state: unknown) {
    const s = state as { values: number[]; next: number; count: number };
    this.values = [...s.values];
    this.next = s.next;
    this.count = s.count;
  }
}

const CANDLE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

export const candlesNode = defineNode({
  type: 'candles',
  version: 1,
  category: 'data',
  title: 'Candles',
  description: 'Market data of one symbol',
  inputs: [],
  outputs: [
    { name: 'candles', kind: 'candles', description: 'the bar', barFields: CANDLE_FIELDS },
    ...CANDLE_FIELDS.map((field) => ({
      name: field,
      kind: 'number' as const,
      description: `the bar's ${field}`,
      barFields: [field],
    })),
  ],
  params: z.object({ symbol: z.string().min(1).default('BTC/USDT'), timeframe: z.string().default('1m') }),
  warmup: () => 0,
  feed: (p) => ({ symbol: p.symbol, timeframe: p.timeframe }),
  create: () =>
    stateless((inputs, out) => {
      const bar = inputs[0] as Bar;
      out[0] = bar;
      out[1] = bar.open;
      out[2] = bar.high;
      out[3] = bar.low;
      out[4] = bar.close;
      out[5] = bar.volume;
    }),
});

export const resampleNode = defineNode({
  type: 'resample',
  version: 1,
  category: 'data',
  title: 'Resample',
  description: 'Closed higher-timeframe bars',
  inputs: [{ name: 'candles', kind: 'candles', description: 'lower-timeframe bars' }],
  outputs: [
    { name: 'candles', kind: 'candles', description: 'the last closed higher-timeframe bar' },
    { name: 'close', kind: 'number', description: 'its close' },
    { name: 'closed', kind: 'boolean', description: 'a higher-timeframe bar closed on this step' },
  ],
  params: z.object({ timeframe: z.string().default('1h') }),
  warmup: () => 0,
  outputTimeframe: (p) => p.timeframe,
  create: (p, ctx) => {
    const ms = requireTimeframeMs(p.timeframe);
    // Aggregated state of the open bucket and the last closed bar (held on steps without a close).
    let open: {
      time: number;
      open: number;
      high: number;
      low: number;
      close: number;
      volume: number;
    } | null = null;
    let last: Bar | null = null;
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        const start = bucketStart(bar.time, ms);
        if (open === null || open.time !== start) {
          open = { time: start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: 0 };
        }
        open.high = Math.max(open.high, bar.high);
        open.low = Math.min(open.low, bar.low);
        open.close = bar.close;
        open.volume += bar.volume;
        // The bucket is closed once its last base bar has closed, i.e. on that bar's step.
        const closed = bar.time + ctx.baseTimeframeMs >= start + ms;
        if (closed) {
          last = { ...open };
          open = null;
        }
        out[0] = last;
        out[1] = last === null ? null : last.close;
        out[2] = closed;
      },
      snapshot: () => ({ open, last }),
      restore(state) {
        const s = state as { open: typeof open; last: Bar | null };
        open = s.open === null ? null : { ...s.open };
        last = s.last;
      },
    };
  },
});

export const lagNode = defineNode({
  type: 'lag',
  version: 1,
  category: 'math',
  title: 'Lag',
  description: 'The value n bars ago',
  inputs: [{ name: 'source', kind: 'number', description: 'series' }],
  outputs: [{ name: 'value', kind: 'number', description: 'the lagged value' }],
  // No minimum on purpose: the compiler, not the schema, must catch a negative lag.
  params: z.object({ bars: z.number().int().default(1) }),
  warmup: (p) => Math.max(0, p.bars),
  shift: (p) => p.bars,
  create: (p) => {
    const ring = new Ring(Math.max(1, p.bars + 1));
    return {
      update(inputs, out) {
        ring.push(inputs[0] as number);
        out[0] = ring.count === ring.size ? (ring.values[ring.next] ?? null) : null;
      },
      snapshot: () => ring.snapshot(),
      restore: (state) => ring.restore(state),
    };
  },
});

export const smaNode = defineNode({
  type: 'sma',
  version: 1,
  category: 'indicators',
  title: 'SMA',
  description: 'Simple moving average',
  inputs: [{ name: 'source', kind: 'number', description: 'series to average' }],
  outputs: [{ name: 'value', kind: 'number', description: 'the average' }],
  params: z.object({ period: z.number().int().min(1).max(1000).default(14) }),
  warmup: (p) => p.period - 1,
  create: (p) => {
    const ring = new Ring(p.period);
    let sum = 0;
    return {
      update(inputs, out) {
        const value = inputs[0] as number;
        // The ring starts filled with zeros, so what it drops is 0 until it is full.
        sum += value - ring.push(value);
        out[0] = ring.count === ring.size ? sum / p.period : null;
      },
      snapshot: () => ({ ring: ring.snapshot(), sum }),
      restore(state) {
        const s = state as { ring: unknown; sum: number };
        ring.restore(s.ring);
        sum = s.sum;
      },
    };
  },
});

export const constantNode = defineNode({
  type: 'constant',
  version: 1,
  category: 'math',
  title: 'Constant',
  description: 'A fixed number',
  inputs: [],
  outputs: [{ name: 'value', kind: 'scalar', description: 'the number' }],
  params: z.object({ value: z.number().default(0) }),
  warmup: () => 0,
  create: (p) =>
    stateless((_inputs, out) => {
      out[0] = p.value;
    }),
});

export const compareNode = defineNode({
  type: 'compare',
  version: 1,
  category: 'logic',
  title: 'Compare',
  description: 'a > b',
  inputs: [
    { name: 'a', kind: 'number', description: 'left' },
    { name: 'b', kind: 'number', description: 'right' },
  ],
  outputs: [{ name: 'result', kind: 'boolean', description: 'a > b' }],
  params: z.object({}),
  warmup: () => 0,
  create: () =>
    stateless((inputs, out) => {
      out[0] = (inputs[0] as number) > (inputs[1] as number);
    }),
});

const ENTER_LONG: Signal = Object.freeze({ kind: 'signal', action: 'enter_long' });

export const enterLongNode = defineNode({
  type: 'enter_long',
  version: 1,
  category: 'signals',
  title: 'Enter long',
  description: 'Buy when the condition is true',
  inputs: [{ name: 'when', kind: 'boolean', description: 'condition' }],
  outputs: [{ name: 'signal', kind: 'signal', description: 'the entry signal' }],
  params: z.object({}),
  warmup: () => 0,
  create: () =>
    stateless((inputs, out) => {
      out[0] = inputs[0] === true ? ENTER_LONG : null;
    }),
});

export const stopLossNode = defineNode({
  type: 'stop_loss',
  version: 1,
  category: 'exits',
  title: 'Stop loss',
  description: 'Exit when the price falls percent below entry',
  inputs: [],
  outputs: [{ name: 'exit', kind: 'exit', description: 'the exit rule' }],
  params: z.object({ percent: z.number().gt(0).default(2) }),
  warmup: () => 0,
  check: (p) =>
    p.percent > 50
      ? [
          {
            code: 'INVALID_PARAM',
            param: 'percent',
            message: `a stop ${p.percent}% away almost never triggers`,
            hint: 'use at most 50',
          },
        ]
      : [],
  create: (p) => {
    const exit: Exit = Object.freeze({ kind: 'stop_loss', percent: p.percent });
    return stateless((_inputs, out) => {
      out[0] = exit;
    });
  },
});

export const marketOrderNode = defineNode({
  type: 'market_order',
  version: 1,
  category: 'orders',
  title: 'Market order',
  description: 'Send a market order when the signal fires',
  inputs: [
    { name: 'signal', kind: 'signal', description: 'when to trade' },
    { name: 'sizing', kind: 'sizing', description: 'how much', optional: true },
    {
      name: 'exits',
      kind: 'exit',
      description: 'exits attached to the entry',
      optional: true,
      multiple: true,
    },
  ],
  outputs: [{ name: 'order', kind: 'order', description: 'the order intent' }],
  params: z.object({
    timing: z.enum(['run_default', 'this_bar_open']).default('run_default'),
    symbol: z.string().optional(),
  }),
  warmup: () => 0,
  create: (p) =>
    stateless((inputs, out) => {
      const signal = inputs[0] as Signal;
      const exits = (inputs[2] ?? []) as readonly Value[];
      const intent: OrderIntent = {
        kind: 'order',
        action: signal.action,
        orderType: 'market',
        offsetPercent: 0,
        referencePrice: null,
        sizing: (inputs[1] ?? null) as Sizing | null,
        exits: exits.filter((e): e is Exit => e !== null) as Exit[],
        timing: p.timing,
        expireAfterBars: 0,
      };
      out[0] = intent;
    }),
});

export const testNodeDefinitions = [
  candlesNode,
  resampleNode,
  lagNode,
  smaNode,
  constantNode,
  compareNode,
  enterLongNode,
  stopLossNode,
  marketOrderNode,
];

/** A fresh catalog of the fake nodes. */
export function createTestCatalog(): NodeCatalog {
  return createCatalog(testNodeDefinitions);
}
