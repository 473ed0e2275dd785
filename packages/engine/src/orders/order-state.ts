// The order life cycle as one table of legal transitions, and the one function that moves an order
// through it. Backtest, paper and live all change orders only through applyOrderEvent.
import type { Order, OrderEvent, OrderStatus } from '../types';

export type OrderEventType = OrderEvent['type'];

/**
 * Legal transitions: state → event → next state. An OrderFilled lands in `filled` when it completes the
 * order and in `partially_filled` while quantity is still open (applyOrderEvent decides by quantity).
 * Fills are legal from `submitted` because a live exchange may report a fill before its acknowledgement.
 */
export const ORDER_TRANSITIONS: Record<OrderStatus, Partial<Record<OrderEventType, OrderStatus>>> = {
  pending: { OrderSubmitted: 'submitted', OrderDenied: 'denied', OrderCanceled: 'canceled' },
  submitted: {
    OrderAccepted: 'accepted',
    OrderRejected: 'rejected',
    OrderFilled: 'filled',
    OrderCanceled: 'canceled',
  },
  accepted: { OrderFilled: 'filled', OrderCanceled: 'canceled', OrderExpired: 'expired' },
  partially_filled: { OrderFilled: 'filled', OrderCanceled: 'canceled', OrderExpired: 'expired' },
  filled: {},
  rejected: {},
  canceled: {},
  expired: {},
  denied: {},
};

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(
  (Object.keys(ORDER_TRANSITIONS) as OrderStatus[]).filter(
    (s) => Object.keys(ORDER_TRANSITIONS[s]).length === 0,
  ),
);

/** Working orders can still fill: they rest on the (simulated) exchange. */
export function isWorking(status: OrderStatus): boolean {
  return status === 'submitted' || status === 'accepted' || status === 'partially_filled';
}

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export function canApply(status: OrderStatus, eventType: OrderEventType): boolean {
  return ORDER_TRANSITIONS[status][eventType] !== undefined;
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly eventType: OrderEventType,
  ) {
    const legal = Object.keys(ORDER_TRANSITIONS[status]);
    super(
      `cannot apply ${eventType} to an order that is ${status} (order ${orderId}); ` +
        (legal.length === 0
          ? `${status} is final, so the order accepts no further events`
          : `from ${status} only ${legal.join(', ')} may follow`),
    );
  }
}

export class OverfillError extends Error {
  override readonly name = 'OverfillError';
  constructor(
    readonly orderId: string,
    readonly quantity: number,
    readonly filledQuantity: number,
    readonly fillQuantity: number,
  ) {
    super(
      `fill of ${fillQuantity} would overfill order ${orderId}: ${filledQuantity} of ${quantity} is already ` +
        `filled, so at most ${quantity - filledQuantity} may still fill; cap fills at the open quantity`,
    );
  }
}

/** Quantities are float64 sums of step multiples; a residue this small is rounding noise, not an open rest. */
const QTY_EPSILON = 1e-9;

function quantityTolerance(quantity: number): number {
  return QTY_EPSILON * Math.max(1, Math.abs(quantity));
}

/** Quantity still open on an order, with float noise removed. */
export function remainingQuantity(order: Order): number {
  const rest = order.quantity - order.filledQuantity;
  return rest <= quantityTolerance(order.quantity) ? 0 : rest;
}

/**
 * Returns the order after `event`; the input is never modified. Throws IllegalTransitionError when the
 * table has no such transition and OverfillError when a fill exceeds the open quantity.
 */
export function applyOrderEvent(order: Order, event: OrderEvent): Order {
  const next = ORDER_TRANSITIONS[order.status][event.type];
  if (next === undefined) throw new IllegalTransitionError(order.id, order.status, event.type);

  switch (event.type) {
    case 'OrderFilled':
      return applyFill(order, event.quantity, event.price);
    case 'OrderRejected':
    case 'OrderDenied':
    case 'OrderCanceled':
      return { ...order, status: next, reason: event.reason };
    case 'OrderExpired':
      return { ...order, status: next, reason: 'expired' };
    case 'OrderSubmitted':
    case 'OrderAccepted':
      return { ...order, status: next };
  }
}

function applyFill(order: Order, quantity: number, price: number): Order {
  if (!(Number.isFinite(quantity) && quantity > 0)) {
    throw new RangeError(`fill quantity for order ${order.id} must be a positive number, got ${quantity}`);
  }
  if (!(Number.isFinite(price) && price > 0)) {
    throw new RangeError(`fill price for order ${order.id} must be a positive number, got ${price}`);
  }
  const total = order.filledQuantity + quantity;
  const tolerance = quantityTolerance(order.quantity);
  if (total > order.quantity + tolerance) {
    throw new OverfillError(order.id, order.quantity, order.filledQuantity, quantity);
  }
  const complete = order.quantity - total <= tolerance;
  const filledQuantity = complete ? order.quantity : total;
  // Volume-weighted over all fills, computed from the running sum so no fill history is needed.
  const averagePrice = (order.averagePrice * order.filledQuantity + price * quantity) / total;
  return {
    ...order,
    status: complete ? 'filled' : 'partially_filled',
    filledQuantity,
    averagePrice,
  };
}
