import { describe, expect, it } from 'vitest';
import { clientOrderId, createOrder, isValidClientOrderId, MAX_CLIENT_ORDER_ID_LENGTH } from '../orders/ids';
import type { Order } from '../types';
import { ClientOrderIdSchema, OrderSchema, TradeSchema } from './engine-schemas';

const T = Date.UTC(2024, 0, 1);
const id = clientOrderId({ runId: 'unit', source: 'sl', barIndex: 12, seq: 1 });

function paths(result: { error?: { issues: { path: PropertyKey[] }[] } }): PropertyKey[][] {
  return result.error?.issues.map((i) => i.path) ?? [];
}

describe('ClientOrderIdSchema', () => {
  const samples = [
    id,
    'a',
    'A-b_9',
    'x'.repeat(MAX_CLIENT_ORDER_ID_LENGTH),
    'x'.repeat(MAX_CLIENT_ORDER_ID_LENGTH + 1),
    '',
    'has space',
    'dot.ted',
    'ünïcode',
  ];

  it.each(samples)('agrees with isValidClientOrderId on "%s"', (sample) => {
    expect(ClientOrderIdSchema.safeParse(sample).success).toBe(isValidClientOrderId(sample));
  });
});

describe('OrderSchema', () => {
  it.each(['market', 'limit', 'stop'] as const)('accepts a new %s order from createOrder', (type) => {
    const order = createOrder({
      id,
      symbol: 'ETH/USDT',
      side: 'sell',
      type,
      quantity: 2,
      price: type === 'market' ? null : 2_500,
      createdAt: T,
      expiresAtBar: type === 'market' ? null : 40,
    });

    expect(paths(OrderSchema.safeParse(order))).toEqual([]);
  });

  const filled: Order = {
    ...createOrder({
      id,
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.3,
      price: 2_400,
      createdAt: T,
    }),
    status: 'filled',
    // 0.1 + 0.1 + 0.1 in floating point: a hair above 0.3.
    filledQuantity: 0.1 + 0.1 + 0.1,
    averagePrice: 2_399.5,
  };

  it('accepts a filled quantity a rounding error above the ordered one', () => {
    expect(filled.filledQuantity).toBeGreaterThan(filled.quantity);
    expect(paths(OrderSchema.safeParse(filled))).toEqual([]);
  });

  it('rejects a filled quantity above the ordered one at filledQuantity', () => {
    expect(paths(OrderSchema.safeParse({ ...filled, filledQuantity: 0.31 }))).toEqual([['filledQuantity']]);
  });

  it('rejects a limit order without a price at price', () => {
    expect(paths(OrderSchema.safeParse({ ...filled, price: null }))).toEqual([['price']]);
  });

  it('rejects a status outside the transition table at status', () => {
    expect(paths(OrderSchema.safeParse({ ...filled, status: 'open' }))).toEqual([['status']]);
  });
});

describe('TradeSchema', () => {
  const trade = {
    symbol: 'ETH/USDT',
    direction: 'short',
    quantity: 1,
    entryTime: T,
    exitTime: T,
    entryBar: 7,
    exitBar: 7,
    entryPrice: 2_500,
    exitPrice: 2_450,
    pnl: 48.5,
    returnPct: 1.94,
    fees: 1.5,
    funding: -0.2,
    exitReason: 'stop_loss',
  };

  it('accepts a trade opened and closed on the same bar, with funding received', () => {
    expect(paths(TradeSchema.safeParse(trade))).toEqual([]);
  });

  it('rejects a trade that closes on an earlier bar at exitBar', () => {
    expect(paths(TradeSchema.safeParse({ ...trade, exitBar: 6 }))).toEqual([['exitBar']]);
  });

  it('rejects negative fees at fees', () => {
    expect(paths(TradeSchema.safeParse({ ...trade, fees: -1 }))).toEqual([['fees']]);
  });
});
