import { describe, expect, it } from 'vitest';
import type { Order, OrderEvent, OrderStatus } from '../types';
import {
  applyOrderEvent,
  canApply,
  IllegalTransitionError,
  isTerminal,
  isWorking,
  ORDER_TRANSITIONS,
  OverfillError,
  remainingQuantity,
  TERMINAL_STATUSES,
} from './order-state';

function orderIn(status: OrderStatus, overrides: Partial<Order> = {}): Order {
  return {
    id: 'BTC-test-1',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: 2,
    price: 100,
    reduceOnly: false,
    purpose: 'entry',
    ocoGroup: null,
    status,
    filledQuantity: 0,
    averagePrice: 0,
    createdAt: 0,
    expiresAtBar: null,
    reason: null,
    ...overrides,
  };
}

const EVENTS: Record<OrderEvent['type'], OrderEvent> = {
  OrderSubmitted: { type: 'OrderSubmitted', time: 1 },
  OrderAccepted: { type: 'OrderAccepted', time: 1 },
  OrderRejected: { type: 'OrderRejected', time: 1, reason: 'below min notional' },
  OrderDenied: { type: 'OrderDenied', time: 1, reason: 'max exposure' },
  OrderFilled: { type: 'OrderFilled', time: 1, quantity: 2, price: 100 },
  OrderCanceled: { type: 'OrderCanceled', time: 1, reason: 'user' },
  OrderExpired: { type: 'OrderExpired', time: 1 },
};

const ALL_STATUSES = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];
const ALL_EVENTS = Object.keys(EVENTS) as OrderEvent['type'][];

describe('ORDER_TRANSITIONS', () => {
  const legal = ALL_STATUSES.flatMap((from) =>
    Object.entries(ORDER_TRANSITIONS[from]).map(([event, to]) => ({
      from,
      event: event as OrderEvent['type'],
      to,
    })),
  );

  it.each(legal)('applies $event to a $from order and lands in $to', ({ from, event, to }) => {
    const order = orderIn(from);

    const next = applyOrderEvent(order, EVENTS[event]);

    expect(next.status).toBe(to);
  });

  it('lists exactly the life cycle of the design: pending → submitted → accepted → filled, with side exits', () => {
    expect(ORDER_TRANSITIONS.pending.OrderSubmitted).toBe('submitted');
    expect(ORDER_TRANSITIONS.pending.OrderDenied).toBe('denied');
    expect(ORDER_TRANSITIONS.submitted.OrderAccepted).toBe('accepted');
    expect(ORDER_TRANSITIONS.submitted.OrderRejected).toBe('rejected');
    expect(ORDER_TRANSITIONS.accepted.OrderExpired).toBe('expired');
    expect(ORDER_TRANSITIONS.partially_filled.OrderCanceled).toBe('canceled');
    expect(legal).toHaveLength(13);
  });

  it('makes filled, rejected, canceled, expired and denied terminal and the others not', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['canceled', 'denied', 'expired', 'filled', 'rejected']);
    expect(isTerminal('partially_filled')).toBe(false);
    expect(isWorking('accepted')).toBe(true);
    expect(isWorking('pending')).toBe(false);
  });

  it('denies only from pending: risk decides before anything reaches the exchange', () => {
    const from = ALL_STATUSES.filter((s) => canApply(s, 'OrderDenied'));

    expect(from).toEqual(['pending']);
  });
});

describe('applyOrderEvent', () => {
  it('rejects a fill after cancel, naming the state, the event and the order', () => {
    const order = orderIn('canceled');

    expect(() => applyOrderEvent(order, EVENTS.OrderFilled)).toThrow(
      'cannot apply OrderFilled to an order that is canceled (order BTC-test-1)',
    );
  });

  it.each([
    ['pending', 'OrderFilled'],
    ['pending', 'OrderAccepted'],
    ['submitted', 'OrderSubmitted'],
    ['accepted', 'OrderRejected'],
    ['accepted', 'OrderDenied'],
    ['partially_filled', 'OrderAccepted'],
    ['submitted', 'OrderExpired'],
  ] as const)('refuses %s + %s with an IllegalTransitionError', (status, event) => {
    const order = orderIn(status);

    const act = () => applyOrderEvent(order, EVENTS[event]);

    expect(act).toThrow(IllegalTransitionError);
    expect(act).toThrow(`cannot apply ${event} to an order that is ${status}`);
  });

  it.each([...TERMINAL_STATUSES])('lets a %s order accept no event at all', (status) => {
    const order = orderIn(status);

    for (const event of ALL_EVENTS) {
      expect(() => applyOrderEvent(order, EVENTS[event])).toThrow(
        /is final, so the order accepts no further events/,
      );
    }
  });

  it('says which events may follow in the error for a non-terminal state', () => {
    const error = (() => {
      try {
        applyOrderEvent(orderIn('pending'), EVENTS.OrderFilled);
      } catch (e) {
        return e as IllegalTransitionError;
      }
      return null;
    })();

    expect(error?.status).toBe('pending');
    expect(error?.eventType).toBe('OrderFilled');
    expect(error?.message).toContain(
      'from pending only OrderSubmitted, OrderDenied, OrderCanceled may follow',
    );
  });

  it('returns a new order and leaves the input untouched', () => {
    const order = Object.freeze(orderIn('accepted'));

    const next = applyOrderEvent(order, { type: 'OrderFilled', time: 5, quantity: 0.5, price: 101 });

    expect(next).not.toBe(order);
    expect(order.status).toBe('accepted');
    expect(order.filledQuantity).toBe(0);
  });

  it('goes to partially_filled and keeps a volume-weighted average price over fills', () => {
    const order = orderIn('accepted', { quantity: 4 });

    const a = applyOrderEvent(order, { type: 'OrderFilled', time: 1, quantity: 1, price: 100 });
    const b = applyOrderEvent(a, { type: 'OrderFilled', time: 2, quantity: 3, price: 104 });

    expect(a.status).toBe('partially_filled');
    expect(a.filledQuantity).toBe(1);
    expect(remainingQuantity(a)).toBe(3);
    expect(b.status).toBe('filled');
    expect(b.filledQuantity).toBe(4);
    // (1 × 100 + 3 × 104) / 4 = 412 / 4
    expect(b.averagePrice).toBeCloseTo(103, 12);
  });

  it('counts float noise in the sum of step-sized fills as complete, not as an open rest', () => {
    const order = orderIn('accepted', { quantity: 0.3 });

    const a = applyOrderEvent(order, { type: 'OrderFilled', time: 1, quantity: 0.1, price: 100 });
    const b = applyOrderEvent(a, { type: 'OrderFilled', time: 2, quantity: 0.2, price: 100 });

    expect(b.status).toBe('filled');
    expect(b.filledQuantity).toBe(0.3);
    expect(remainingQuantity(b)).toBe(0);
  });

  it('throws OverfillError when a fill exceeds the open quantity', () => {
    const order = orderIn('partially_filled', { quantity: 2, filledQuantity: 1.5, averagePrice: 100 });

    const act = () => applyOrderEvent(order, { type: 'OrderFilled', time: 1, quantity: 0.6, price: 100 });

    expect(act).toThrow(OverfillError);
    expect(act).toThrow('fill of 0.6 would overfill order BTC-test-1: 1.5 of 2 is already filled');
  });

  it.each([
    [0, 100],
    [-1, 100],
    [1, 0],
    [1, Number.NaN],
  ])('refuses a fill of quantity %s at price %s', (quantity, price) => {
    const order = orderIn('accepted');

    expect(() => applyOrderEvent(order, { type: 'OrderFilled', time: 1, quantity, price })).toThrow(
      RangeError,
    );
  });

  it.each([
    ['OrderRejected', 'rejected', 'below min notional'],
    ['OrderCanceled', 'canceled', 'user'],
    ['OrderExpired', 'expired', 'expired'],
  ] as const)('sets the reason when %s ends the order', (event, status, reason) => {
    const from: OrderStatus = event === 'OrderRejected' ? 'submitted' : 'accepted';

    const next = applyOrderEvent(orderIn(from), EVENTS[event]);

    expect(next.status).toBe(status);
    expect(next.reason).toBe(reason);
  });

  it('sets the reason of a risk denial', () => {
    const next = applyOrderEvent(orderIn('pending'), EVENTS.OrderDenied);

    expect(next).toMatchObject({ status: 'denied', reason: 'max exposure' });
  });
});
