// Deterministic client order ids and the constructor for new orders. The same run, source, bar and
// sequence number always give the same id, so a retried submit is recognised instead of duplicated.
import type { ClientOrderId, EngineOrderType, Order, OrderPurpose, Side, Symbol as SymbolId } from '../types';

/** Exchanges accept client ids of at most 36 characters from this alphabet (Binance, Bybit, OKX). */
export const MAX_CLIENT_ORDER_ID_LENGTH = 36;
const ID_ALPHABET = /^[A-Za-z0-9_-]+$/;
/** Sources used verbatim: short, safe, and not starting with `_`, which marks a hashed source. */
const LITERAL_SOURCE = /^[A-Za-z0-9][A-Za-z0-9_]{0,9}$/;

/** FNV-1a, 32 bit, as 8 hex digits: tiny, stable across platforms, no crypto needed for an id tag. */
export function hash8(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface ClientOrderIdParts {
  /** The run (backtest, paper or live deployment) the order belongs to. */
  readonly runId: string;
  /** What created the order: a node id or a role such as `sl`, `tp`, `close`. */
  readonly source: string;
  /** The bar on which the order was decided. */
  readonly barIndex: number;
  /** Counts orders from one source on one bar, from 0. */
  readonly seq: number;
}

/**
 * `cf-<hash8(runId)>-<source>-<barIndex>-<seq>`. A source that is longer than 10 characters or uses other
 * characters than [A-Za-z0-9_] is replaced by `_` + its hash, which no verbatim source can equal.
 */
export function clientOrderId(parts: ClientOrderIdParts): ClientOrderId {
  const { runId, source, barIndex, seq } = parts;
  if (runId.length === 0) throw new RangeError('clientOrderId needs a non-empty runId');
  if (source.length === 0) throw new RangeError('clientOrderId needs a non-empty source');
  if (!Number.isSafeInteger(barIndex) || barIndex < 0) {
    throw new RangeError(`clientOrderId: barIndex must be a whole number >= 0, got ${barIndex}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new RangeError(`clientOrderId: seq must be a whole number >= 0, got ${seq}`);
  }
  const tag = LITERAL_SOURCE.test(source) ? source : `_${hash8(source)}`;
  const id = `cf-${hash8(runId)}-${tag}-${barIndex}-${seq}`;
  if (id.length > MAX_CLIENT_ORDER_ID_LENGTH) {
    throw new RangeError(
      `client order id ${id} is ${id.length} characters, exchanges accept at most ${MAX_CLIENT_ORDER_ID_LENGTH}; ` +
        'use a shorter source name (at most 10 characters)',
    );
  }
  return id;
}

export function isValidClientOrderId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_CLIENT_ORDER_ID_LENGTH && ID_ALPHABET.test(id);
}

export interface NewOrder {
  readonly id: ClientOrderId;
  readonly symbol: SymbolId;
  readonly side: Side;
  readonly type: EngineOrderType;
  readonly quantity: number;
  /** Required for limit (limit price) and stop (trigger price) orders; must be absent or null for market. */
  readonly price?: number | null;
  readonly reduceOnly?: boolean;
  readonly purpose?: OrderPurpose;
  readonly ocoGroup?: string | null;
  readonly createdAt: number;
  readonly expiresAtBar?: number | null;
}

/** A new order in status `pending`, checked for the mistakes that would otherwise surface as odd fills. */
export function createOrder(spec: NewOrder): Order {
  if (!isValidClientOrderId(spec.id)) {
    throw new RangeError(
      `order id "${spec.id}" is not a valid client order id: use 1 to ${MAX_CLIENT_ORDER_ID_LENGTH} characters ` +
        'from [A-Za-z0-9_-], e.g. from clientOrderId()',
    );
  }
  if (!(Number.isFinite(spec.quantity) && spec.quantity > 0)) {
    throw new RangeError(`order ${spec.id}: quantity must be a positive number, got ${spec.quantity}`);
  }
  const price = spec.price ?? null;
  if (spec.type === 'market' && price !== null) {
    throw new RangeError(`order ${spec.id}: a market order takes no price; use a limit order to set one`);
  }
  if (spec.type !== 'market' && !(price !== null && Number.isFinite(price) && price > 0)) {
    throw new RangeError(`order ${spec.id}: a ${spec.type} order needs a positive price, got ${price}`);
  }
  const purpose = spec.purpose ?? 'entry';
  return {
    id: spec.id,
    symbol: spec.symbol,
    side: spec.side,
    type: spec.type,
    quantity: spec.quantity,
    price,
    reduceOnly: spec.reduceOnly ?? purpose !== 'entry',
    purpose,
    ocoGroup: spec.ocoGroup ?? null,
    status: 'pending',
    filledQuantity: 0,
    averagePrice: 0,
    createdAt: spec.createdAt,
    expiresAtBar: spec.expiresAtBar ?? null,
    reason: null,
  };
}
