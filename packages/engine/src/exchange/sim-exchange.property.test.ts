import type { Bar } from '@candleflow/strategy-dsl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrder } from '../orders/ids';
import { isTerminal, ORDER_TRANSITIONS } from '../orders/order-state';
import type { ExecutionSettings, Fill, Instrument, OrderStatus } from '../types';
import { SimulatedExchange } from './sim-exchange';

const BTC: Instrument = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
};

// Bars in whole cents, so every price lies on the tick as real exchange data does.
const barArb = fc
  .record({
    open: fc.integer({ min: 1_000_000, max: 3_000_000 }),
    up: fc.integer({ min: 0, max: 60_000 }),
    down: fc.integer({ min: 0, max: 60_000 }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.integer({ min: 0, max: 40 }),
  })
  .map(({ open, up, down, closeAt, volume }) => {
    const high = open + up;
    const low = open - down;
    const close = low + Math.round((high - low) * closeAt);
    return { open: open / 100, high: high / 100, low: low / 100, close: close / 100, volume };
  });

const orderArb = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const),
  quantity: fc.integer({ min: 1, max: 3000 }).map((n) => n / 1000),
  /** Offset from the last close, in cents. */
  offset: fc.integer({ min: -80_000, max: 80_000 }),
  reduceOnly: fc.boolean(),
  oco: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  expiresIn: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  cancelLater: fc.boolean(),
});

const executionArb = fc.record({
  fill: fc.constant('next_open' as const),
  makerFee: fc.constantFrom(0, 0.0002),
  takerFee: fc.constantFrom(0, 0.0005),
  slippage: fc.constantFrom(
    { kind: 'none' } as const,
    { kind: 'proportional', rate: 0.001 } as const,
    { kind: 'fixed', amount: 0.5 } as const,
  ),
  maxVolumeShare: fc.constantFrom(0.05, 0.3, 1),
  marketRemainder: fc.constantFrom('cancel' as const, 'keep' as const),
});

function maxSlippage(execution: ExecutionSettings, price: number): number {
  const s = execution.slippage;
  if (s.kind === 'proportional') return price * s.rate;
  if (s.kind === 'fixed') return s.amount;
  return 0;
}

describe('SimulatedExchange properties', () => {
  it('keeps every order and fill consistent for random bars and random orders', () => {
    // Counted across runs so the test fails if the generators stop producing the cases it is meant to check.
    const seen = { fills: 0, partial: 0, gaps: 0, ocoCancels: 0, expired: 0 };
    fc.assert(
      fc.property(
        executionArb,
        fc.array(fc.record({ bar: barArb, orders: fc.array(orderArb, { maxLength: 3 }) }), {
          minLength: 2,
          maxLength: 25,
        }),
        (execution, steps) => {
          const statuses = new Map<string, OrderStatus>();
          const violations: string[] = [];
          const ex = new SimulatedExchange({
            instruments: new Map([[BTC.symbol, BTC]]),
            execution,
            onEvent: ({ orderId, event }, order) => {
              const from = statuses.get(orderId) ?? 'pending';
              if (isTerminal(from)) violations.push(`${event.type} after terminal ${from} on ${orderId}`);
              const target = ORDER_TRANSITIONS[from][event.type];
              const reachable =
                order.status === target ||
                (event.type === 'OrderFilled' && order.status === 'partially_filled');
              if (!reachable)
                violations.push(`${from} + ${event.type} → ${order.status} is not in the table`);
              statuses.set(orderId, order.status);
              if (order.status === 'partially_filled') seen.partial += 1;
              if (order.status === 'expired') seen.expired += 1;
              if (event.type === 'OrderCanceled' && event.reason.startsWith('OCO')) seen.ocoCancels += 1;
            },
          });
          const submittedAt = new Map<string, number>();
          const fills: { fill: Fill; bar: Bar; positionBefore: number; reduceOnly: boolean }[] = [];
          const toCancel: string[] = [];
          let lastClose = steps[0]!.bar.open;

          steps.forEach((step, i) => {
            const bar: Bar = { time: i * 60_000, ...step.bar };
            let position = ex.getPosition(BTC.symbol);
            const report = ex.processBar(BTC.symbol, bar, i, {
              barVolatility: (bar.high - bar.low) / bar.close,
            });
            for (const fill of report.fills) {
              const order = ex.getOrder(fill.orderId)!;
              fills.push({ fill, bar, positionBefore: position, reduceOnly: order.reduceOnly });
              position += fill.side === 'buy' ? fill.quantity : -fill.quantity;
            }
            for (const id of toCancel.splice(0)) {
              if (ex.openOrders().some((o) => o.id === id)) ex.cancel(id, 'test cancel', bar.time);
            }
            step.orders.forEach((spec, k) => {
              const price = Math.max(0.01, Math.round(lastClose * 100 + spec.offset) / 100);
              const id = `p-${i}-${k}`;
              const order = createOrder({
                id,
                symbol: BTC.symbol,
                side: spec.side,
                type: spec.type,
                quantity: spec.quantity,
                price: spec.type === 'market' ? null : price,
                reduceOnly: spec.reduceOnly,
                ocoGroup: spec.oco === null ? null : `g${spec.oco}`,
                expiresAtBar: spec.expiresIn === null ? null : i + spec.expiresIn,
                createdAt: bar.time,
              });
              ex.submit(order, bar.time, i);
              submittedAt.set(id, i);
              if (spec.cancelLater) toCancel.push(id);
            });
            lastClose = bar.close;
          });

          expect(violations).toEqual([]);
          const filledByOrder = new Map<string, number>();
          for (const { fill, bar, positionBefore, reduceOnly } of fills) {
            // Fills only on bars after the order was sent: no look-ahead.
            expect(fill.barIndex).toBeGreaterThan(submittedAt.get(fill.orderId)!);
            // Before slippage the price lies in the bar's range; slippage only moves it against the taker.
            const tick = BTC.tickSize;
            if (fill.side === 'buy') {
              expect(fill.price).toBeGreaterThanOrEqual(bar.low);
              expect(fill.price).toBeLessThanOrEqual(bar.high + maxSlippage(execution, bar.high) + tick);
            } else {
              expect(fill.price).toBeLessThanOrEqual(bar.high);
              expect(fill.price).toBeGreaterThanOrEqual(bar.low - maxSlippage(execution, bar.low) - tick);
            }
            if (execution.slippage.kind === 'none' || fill.liquidity === 'maker') {
              expect(fill.price).toBeGreaterThanOrEqual(bar.low);
              expect(fill.price).toBeLessThanOrEqual(bar.high);
            }
            if (execution.maxVolumeShare < 1) {
              expect(fill.quantity).toBeLessThanOrEqual(execution.maxVolumeShare * bar.volume + 1e-9);
            }
            if (reduceOnly) {
              const after = positionBefore + (fill.side === 'buy' ? fill.quantity : -fill.quantity);
              expect(Math.abs(after)).toBeLessThanOrEqual(Math.abs(positionBefore) + 1e-9);
              expect(after * positionBefore).toBeGreaterThanOrEqual(-1e-12);
            }
            expect(fill.fee).toBeGreaterThanOrEqual(0);
            seen.fills += 1;
            if (ex.getOrder(fill.orderId)!.type === 'stop' && fill.price !== ex.getOrder(fill.orderId)!.price)
              seen.gaps += 1;
            filledByOrder.set(fill.orderId, (filledByOrder.get(fill.orderId) ?? 0) + fill.quantity);
          }
          for (const id of submittedAt.keys()) {
            const order = ex.getOrder(id)!;
            expect(order.filledQuantity).toBeLessThanOrEqual(order.quantity + 1e-9);
            expect(order.filledQuantity).toBeCloseTo(filledByOrder.get(id) ?? 0, 9);
            expect(order.status).toBe(statuses.get(id));
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(seen.fills).toBeGreaterThan(100);
    expect(seen.partial).toBeGreaterThan(0);
    expect(seen.gaps).toBeGreaterThan(0);
    expect(seen.ocoCancels).toBeGreaterThan(0);
    expect(seen.expired).toBeGreaterThan(0);
  });
});
