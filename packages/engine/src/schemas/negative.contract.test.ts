// Each published schema rejects a deliberately wrong value, and says where: Ajv (reading the committed file)
// names the JSON pointer of the bad field, zod the same path. A valid twin of each value passes both, so a
// rejection is due to the one field that was broken.
import {
  BarSchema,
  GraphSchema,
  type OrderIntent,
  OrderIntentSchema,
  SignalSchema,
} from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { clientOrderId, createOrder } from '../orders/ids';
import type { Fill, Trade } from '../types';
import { FillSchema, OrderSchema, TradeSchema } from './engine-schemas';
import { committedSchemaValidator } from './test-support/json-schema-validator';

const T = Date.UTC(2024, 0, 1);
const id = clientOrderId({ runId: 'negative', source: 'entry', barIndex: 3, seq: 0 });

const intent: OrderIntent = {
  kind: 'order',
  action: 'enter_long',
  orderType: 'limit',
  offsetPercent: 0.5,
  referencePrice: null,
  sizing: { kind: 'percent_equity', percent: 50 },
  exits: [
    { kind: 'stop_loss', percent: 3 },
    { kind: 'time_exit', bars: 48 },
  ],
  timing: 'run_default',
  expireAfterBars: 0,
};
const fill: Fill = {
  orderId: id,
  symbol: 'BTC/USDT',
  side: 'buy',
  quantity: 0.25,
  price: 42_000.5,
  fee: 5.25,
  liquidity: 'taker',
  time: T,
  barIndex: 4,
  purpose: 'entry',
};
const trade: Trade = {
  symbol: 'BTC/USDT',
  direction: 'long',
  quantity: 0.25,
  entryTime: T,
  exitTime: T + 3_600_000,
  entryBar: 4,
  exitBar: 5,
  entryPrice: 42_000.5,
  exitPrice: 42_500,
  pnl: 114.4,
  returnPct: 1.09,
  fees: 10.5,
  funding: 0.5,
  exitReason: 'take_profit',
};

interface Case {
  readonly file: string;
  readonly schema: z.ZodType;
  readonly valid: unknown;
  readonly wrong: unknown;
  /** The Ajv problem line that must be reported, `<JSON pointer>: <message>`. */
  readonly problem: string;
  /** The zod issue path. */
  readonly path: readonly (string | number)[];
}

const cases: readonly Case[] = [
  {
    file: 'graph.schema.json',
    schema: GraphSchema,
    valid: { schemaVersion: 1, name: 'Minimal', nodes: [{ id: 'c', type: 'candles', version: 1 }] },
    wrong: { schemaVersion: 1, name: 'Minimal', nodes: [{ id: 'c', type: 'candles', version: 0 }] },
    problem: '/nodes/0/version: must be >= 1',
    path: ['nodes', 0, 'version'],
  },
  {
    file: 'bar.schema.json',
    schema: BarSchema,
    valid: { time: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 0 },
    wrong: { time: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: -3 },
    problem: '/volume: must be >= 0',
    path: ['volume'],
  },
  {
    file: 'signal.schema.json',
    schema: SignalSchema,
    valid: { kind: 'signal', action: 'exit_short' },
    wrong: { kind: 'signal', action: 'buy' },
    problem:
      '/action: must be equal to one of the allowed values ["enter_long","enter_short","exit_long","exit_short"]',
    path: ['action'],
  },
  {
    file: 'order-intent.schema.json',
    schema: OrderIntentSchema,
    valid: intent,
    wrong: { ...intent, expireAfterBars: 2.5 },
    problem: '/expireAfterBars: must be integer',
    path: ['expireAfterBars'],
  },
  {
    file: 'order-intent.schema.json',
    schema: OrderIntentSchema,
    valid: intent,
    // A stop loss without a distance would sit at the entry price.
    wrong: { ...intent, exits: [{ kind: 'stop_loss' }] },
    problem: "/exits/0: must have required property 'percent'",
    path: ['exits', 0, 'percent'],
  },
  {
    file: 'order-intent.schema.json',
    schema: OrderIntentSchema,
    valid: intent,
    wrong: { ...intent, sizing: { kind: 'percent_equity', percent: -5 } },
    problem: '/sizing/percent: must be > 0',
    path: ['sizing', 'percent'],
  },
  {
    file: 'order.schema.json',
    schema: OrderSchema,
    valid: createOrder({
      id,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      quantity: 1,
      price: 41_000,
      createdAt: T,
    }),
    wrong: {
      ...createOrder({ id, symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1, createdAt: T }),
      price: 100,
    },
    problem: '/price: must be null',
    path: ['price'],
  },
  {
    file: 'order.schema.json',
    schema: OrderSchema,
    valid: createOrder({ id, symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1, createdAt: T }),
    wrong: {
      ...createOrder({ id, symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1, createdAt: T }),
      id: 'has spaces',
    },
    problem: '/id: must match pattern "^[A-Za-z0-9_-]+$"',
    path: ['id'],
  },
  {
    file: 'fill.schema.json',
    schema: FillSchema,
    valid: fill,
    wrong: { ...fill, fee: -0.1 },
    problem: '/fee: must be >= 0',
    path: ['fee'],
  },
  {
    file: 'trade.schema.json',
    schema: TradeSchema,
    valid: trade,
    wrong: { ...trade, exitReason: 'profit' },
    problem: expect.stringMatching(/^\/exitReason: must be equal to one of the allowed values \["entry",/),
    path: ['exitReason'],
  },
  {
    file: 'trade.schema.json',
    schema: TradeSchema,
    valid: trade,
    wrong: (({ pnl: _pnl, ...rest }) => rest)(trade),
    problem: "(root): must have required property 'pnl'",
    path: ['pnl'],
  },
];

describe('a deliberately wrong value', () => {
  const validator = committedSchemaValidator();

  it('covers every published schema', () => {
    expect(new Set(cases.map((c) => c.file)).size).toBe(7);
  });

  it.each(cases.map((c) => [c.file, c.path.join('.'), c] as const))(
    '%s: its valid twin passes both validators (%s)',
    (_file, _path, c) => {
      expect(validator.problems(c.file, c.valid)).toEqual([]);
      expect(c.schema.safeParse(c.valid).error?.issues ?? []).toEqual([]);
    },
  );

  it.each(cases.map((c) => [c.file, c.path.join('.'), c] as const))(
    '%s: is rejected at %s by the JSON Schema and by zod',
    (_file, _path, c) => {
      const problems = validator.problems(c.file, c.wrong);
      const issues = c.schema.safeParse(c.wrong).error?.issues ?? [];

      expect(problems).toContainEqual(c.problem);
      expect(issues.map((i) => i.path)).toContainEqual(c.path);
    },
  );
});

describe('rules only the runtime schemas can check', () => {
  it('a bar whose high is below its close is rejected at high', () => {
    const bar = { time: T, open: 1, high: 1.2, low: 0.5, close: 1.5, volume: 1 };

    const issues = BarSchema.safeParse(bar).error?.issues ?? [];

    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [['high'], 'high must be at least open, close and low'],
    ]);
  });

  it('a trade that closes before it opened is rejected at exitTime', () => {
    const issues = TradeSchema.safeParse({ ...trade, exitTime: T - 1 }).error?.issues ?? [];

    expect(issues.map((i) => i.path)).toEqual([['exitTime']]);
  });
});
