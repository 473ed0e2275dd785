import { describe, expect, it } from 'vitest';
import { clientOrderId, createOrder, hash8, isValidClientOrderId, MAX_CLIENT_ORDER_ID_LENGTH } from './ids';

describe('hash8', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    // Reference values from the FNV specification (draft-eastlake-fnv).
    expect(hash8('')).toBe('811c9dc5');
    expect(hash8('a')).toBe('e40c292c');
    expect(hash8('foobar')).toBe('bf9cf968');
  });
});

describe('clientOrderId', () => {
  it('gives the same id for the same inputs, so a retried submit is recognised', () => {
    const parts = { runId: 'run-2024-01-01T00:00:00Z-abc', source: 'entry', barIndex: 1234, seq: 0 };

    const first = clientOrderId(parts);
    const retry = clientOrderId({ ...parts });

    expect(retry).toBe(first);
    expect(first).toBe(`cf-${hash8(parts.runId)}-entry-1234-0`);
  });

  it('gives different ids when any part differs', () => {
    const base = { runId: 'r1', source: 'entry', barIndex: 10, seq: 0 };

    const ids = new Set([
      clientOrderId(base),
      clientOrderId({ ...base, runId: 'r2' }),
      clientOrderId({ ...base, source: 'sl' }),
      clientOrderId({ ...base, barIndex: 11 }),
      clientOrderId({ ...base, seq: 1 }),
    ]);

    expect(ids.size).toBe(5);
  });

  it('keeps ids within 36 characters of [A-Za-z0-9_-], hashing long or odd sources', () => {
    const id = clientOrderId({
      runId: 'x'.repeat(500),
      source: 'node/with spaces & a very long name',
      barIndex: 9_999_999,
      seq: 99,
    });

    expect(id.length).toBeLessThanOrEqual(MAX_CLIENT_ORDER_ID_LENGTH);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).toBe(
      `cf-${hash8('x'.repeat(500))}-_${hash8('node/with spaces & a very long name')}-9999999-99`,
    );
  });

  it('never lets a verbatim source collide with a hashed one', () => {
    const hashedSource = 'a.b';
    const lookalike = `_${hash8(hashedSource)}`;

    const a = clientOrderId({ runId: 'r', source: hashedSource, barIndex: 1, seq: 0 });
    const b = clientOrderId({ runId: 'r', source: lookalike, barIndex: 1, seq: 0 });

    expect(a).not.toBe(b);
  });

  it.each([
    [{ runId: '', source: 's', barIndex: 0, seq: 0 }, 'non-empty runId'],
    [{ runId: 'r', source: '', barIndex: 0, seq: 0 }, 'non-empty source'],
    [{ runId: 'r', source: 's', barIndex: -1, seq: 0 }, 'barIndex must be a whole number'],
    [{ runId: 'r', source: 's', barIndex: 1.5, seq: 0 }, 'barIndex must be a whole number'],
    [{ runId: 'r', source: 's', barIndex: 0, seq: -2 }, 'seq must be a whole number'],
    [{ runId: 'r', source: 'abcdefghij', barIndex: 1e12, seq: 123456 }, 'use a shorter source name'],
  ])('refuses %o', (parts, message) => {
    expect(() => clientOrderId(parts)).toThrow(message);
  });
});

describe('createOrder', () => {
  const id = clientOrderId({ runId: 'r', source: 'entry', barIndex: 3, seq: 0 });

  it('creates a pending order with nothing filled', () => {
    const order = createOrder({
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 1,
      price: 100,
      createdAt: 7,
    });

    expect(order).toEqual({
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 1,
      price: 100,
      reduceOnly: false,
      purpose: 'entry',
      ocoGroup: null,
      status: 'pending',
      filledQuantity: 0,
      averagePrice: 0,
      createdAt: 7,
      expiresAtBar: null,
      reason: null,
    });
  });

  it('makes exit orders reduce-only unless told otherwise', () => {
    const stop = createOrder({
      id,
      symbol: 'S',
      side: 'sell',
      type: 'stop',
      quantity: 1,
      price: 90,
      purpose: 'stop_loss',
      createdAt: 0,
    });
    const flip = createOrder({
      id,
      symbol: 'S',
      side: 'sell',
      type: 'market',
      quantity: 2,
      purpose: 'exit',
      reduceOnly: false,
      createdAt: 0,
    });

    expect(stop.reduceOnly).toBe(true);
    expect(flip.reduceOnly).toBe(false);
  });

  it.each([
    [{ type: 'market', quantity: 1, price: 100 }, 'a market order takes no price'],
    [{ type: 'limit', quantity: 1 }, 'a limit order needs a positive price'],
    [{ type: 'stop', quantity: 1, price: -5 }, 'a stop order needs a positive price'],
    [{ type: 'market', quantity: 0 }, 'quantity must be a positive number'],
    [{ type: 'market', quantity: Number.NaN }, 'quantity must be a positive number'],
  ] as const)('refuses %o', (spec, message) => {
    expect(() => createOrder({ id, symbol: 'S', side: 'buy', createdAt: 0, ...spec })).toThrow(message);
  });

  it('refuses an id an exchange would not accept', () => {
    expect(isValidClientOrderId('a'.repeat(37))).toBe(false);
    expect(() =>
      createOrder({ id: 'has space', symbol: 'S', side: 'buy', type: 'market', quantity: 1, createdAt: 0 }),
    ).toThrow('is not a valid client order id');
  });
});
