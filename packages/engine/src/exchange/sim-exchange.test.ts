import type { Bar } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { createOrder } from '../orders/ids';
import { IllegalTransitionError } from '../orders/order-state';
import type { ExecutionSettings, Instrument, Order, OrderPurpose, Side } from '../types';
import { DEFAULT_EXECUTION } from '../types';
import { SimulatedExchange } from './sim-exchange';

const BTC: Instrument = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 10,
};

const BASE_EXECUTION: ExecutionSettings = {
  fill: 'next_open',
  makerFee: 0.0002,
  takerFee: 0.0005,
  slippage: { kind: 'proportional', rate: 0.001 },
  maxVolumeShare: 1,
  marketRemainder: 'cancel',
};

function exchange(execution: Partial<ExecutionSettings> = {}): SimulatedExchange {
  return new SimulatedExchange({
    instruments: new Map([[BTC.symbol, BTC]]),
    execution: { ...BASE_EXECUTION, ...execution },
  });
}

function bar(open: number, high: number, low: number, close: number, volume = 1000, time = 0): Bar {
  return { time, open, high, low, close, volume };
}

let counter = 0;
function order(
  side: Side,
  type: Order['type'],
  quantity: number,
  price: number | null = null,
  extra: { reduceOnly?: boolean; ocoGroup?: string; purpose?: OrderPurpose; expiresAtBar?: number } = {},
): Order {
  counter += 1;
  return createOrder({
    id: `t-${counter}`,
    symbol: BTC.symbol,
    side,
    type,
    quantity,
    price,
    createdAt: 0,
    reduceOnly: extra.reduceOnly ?? false,
    purpose: extra.purpose ?? 'entry',
    ocoGroup: extra.ocoGroup ?? null,
    expiresAtBar: extra.expiresAtBar ?? null,
  });
}

const calm = { barVolatility: 0.01 };

describe('SimulatedExchange.submit', () => {
  it('submits and accepts an order that passes the filters', () => {
    const ex = exchange();
    const events: string[] = [];
    const observed = new SimulatedExchange({
      instruments: new Map([[BTC.symbol, BTC]]),
      execution: BASE_EXECUTION,
      onEvent: ({ event }) => events.push(event.type),
    });

    const accepted = ex.submit(order('buy', 'limit', 0.01, 20000), 1, 0);
    observed.submit(order('buy', 'limit', 0.01, 20000), 1, 0);

    expect(accepted.status).toBe('accepted');
    expect(ex.openOrders()).toEqual([accepted]);
    expect(events).toEqual(['OrderSubmitted', 'OrderAccepted']);
  });

  it('rejects an order that falls below min notional only after rounding', () => {
    const ex = exchange();
    // Unrounded: 0.0015 × 9999.999 = 15 USDT. Rounded: 0.001 × 9999.99 = 9.99999 USDT < 10.
    const o = order('buy', 'limit', 0.0015, 9999.999);

    const result = ex.submit(o, 1, 0);

    expect(result.status).toBe('rejected');
    expect(result.quantity).toBe(0.001);
    expect(result.price).toBe(9999.99);
    expect(result.reason).toContain('below the minimum notional 10 USDT');
  });

  it('rounds limit and stop prices to the side that never improves them', () => {
    const ex = exchange();

    const buyLimit = ex.submit(order('buy', 'limit', 0.01, 20000.019), 1, 0);
    const sellLimit = ex.submit(order('sell', 'limit', 0.01, 20000.011), 1, 0);
    const buyStop = ex.submit(order('buy', 'stop', 0.01, 20000.011), 1, 0);
    const sellStop = ex.submit(order('sell', 'stop', 0.01, 20000.019), 1, 0);

    expect([buyLimit.price, sellLimit.price, buyStop.price, sellStop.price]).toEqual([
      20000.01, 20000.02, 20000.02, 20000.01,
    ]);
  });

  it('rejects a quantity that rounds to nothing and an unknown symbol', () => {
    const ex = exchange();

    const dust = ex.submit(order('buy', 'limit', 0.0004, 20000), 1, 0);
    const unknown = ex.submit({ ...order('buy', 'market', 1), symbol: 'DOGE/USDT' }, 1, 0);

    expect(dust).toMatchObject({ status: 'rejected' });
    expect(dust.reason).toContain('rounds down to 0 at the step size 0.001');
    expect(unknown).toMatchObject({ status: 'rejected' });
    expect(unknown.reason).toContain('unknown symbol DOGE/USDT');
  });

  it('checks a market order for min notional against the last close', () => {
    const ex = exchange();
    ex.processBar(BTC.symbol, bar(5000, 5000, 5000, 5000), 0, calm);

    const small = ex.submit(order('buy', 'market', 0.001), 1, 0);

    expect(small.status).toBe('rejected');
    expect(small.reason).toContain('notional 5 (0.001 × 5000)');
  });

  it('refuses to submit an order that is not pending and stores nothing', () => {
    const ex = exchange();
    const denied = { ...order('buy', 'market', 1), status: 'denied' as const, reason: 'kill switch' };

    expect(() => ex.submit(denied, 1, 0)).toThrow('cannot apply OrderSubmitted to an order that is denied');
    expect(ex.getOrder(denied.id)).toBeUndefined();
  });

  it('returns the stored order for a retried submit instead of creating a second one', () => {
    const ex = exchange();
    const o = order('buy', 'market', 0.5);

    const first = ex.submit(o, 1, 0);
    const retry = ex.submit(o, 2, 0);
    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000), 1, calm);

    expect(retry).toBe(first);
    expect(fills).toHaveLength(1);
  });
});

describe('SimulatedExchange market orders', () => {
  it('fills at the next open with proportional slippage and the taker fee', () => {
    const ex = exchange();
    const buy = ex.submit(order('buy', 'market', 0.5), 1, 0);
    const sell = ex.submit(order('sell', 'market', 0.2), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000.37, 20100, 19900, 20050, 1000, 60_000), 1, calm);

    // buy: 20000.37 × 1.001 = 20020.37037 → up to the tick → 20020.38; fee 0.5 × 20020.38 × 0.0005
    // sell: 20000.37 × 0.999 = 19980.36963 → down to the tick → 19980.36; fee 0.2 × 19980.36 × 0.0005
    expect(fills).toHaveLength(2);
    expect(fills[0]).toMatchObject({
      orderId: buy.id,
      quantity: 0.5,
      price: 20020.38,
      liquidity: 'taker',
      time: 60_000,
      barIndex: 1,
    });
    expect(fills[0]?.fee).toBeCloseTo(5.005095, 9);
    expect(fills[1]).toMatchObject({ orderId: sell.id, quantity: 0.2, price: 19980.36, liquidity: 'taker' });
    expect(fills[1]?.fee).toBeCloseTo(1.998036, 9);
    expect(ex.getOrder(buy.id)).toMatchObject({
      status: 'filled',
      filledQuantity: 0.5,
      averagePrice: 20020.38,
    });
  });

  it('does not fill on the bar it was submitted on: no look-ahead', () => {
    const ex = exchange();
    ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000), 0, calm);
    const o = ex.submit(order('buy', 'market', 0.5), 1, 1);

    const same = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000), 1, calm);

    expect(same.fills).toHaveLength(0);
    expect(ex.getOrder(o.id)?.status).toBe('accepted');
  });

  it('cancels the rest of a market order capped by bar volume', () => {
    const ex = exchange({ maxVolumeShare: 0.1, slippage: { kind: 'none' } });
    const o = ex.submit(order('buy', 'market', 1), 1, 0);

    const { fills, events } = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000, 3), 1, calm);

    // 10% of a 3 BTC bar = 0.3 BTC
    expect(fills.map((f) => f.quantity)).toEqual([0.3]);
    expect(events.map((e) => e.event.type)).toEqual(['OrderFilled', 'OrderCanceled']);
    expect(ex.getOrder(o.id)).toMatchObject({ status: 'canceled', filledQuantity: 0.3 });
    expect(ex.getOrder(o.id)?.reason).toContain('volume cap');
  });

  it("keeps filling the rest at the following opens when marketRemainder is 'keep'", () => {
    const ex = exchange({ maxVolumeShare: 0.1, slippage: { kind: 'none' }, marketRemainder: 'keep' });
    const o = ex.submit(order('buy', 'market', 0.5), 1, 0);

    const first = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000, 3), 1, calm);
    const second = ex.processBar(BTC.symbol, bar(20100, 20100, 20100, 20100, 3), 2, calm);

    expect(first.fills.map((f) => [f.quantity, f.price])).toEqual([[0.3, 20000]]);
    expect(second.fills.map((f) => [f.quantity, f.price])).toEqual([[0.2, 20100]]);
    // (0.3 × 20000 + 0.2 × 20100) / 0.5
    expect(ex.getOrder(o.id)?.averagePrice).toBeCloseTo(20040, 9);
    expect(ex.getOrder(o.id)?.status).toBe('filled');
  });

  it('grows sqrt impact with order size', () => {
    const impact = { kind: 'sqrt_impact', coefficient: 1 } as const;
    const prices = [1, 4].map((quantity) => {
      const ex = exchange({ slippage: impact });
      ex.submit(order('buy', 'market', quantity), 1, 0);
      return ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000, 100), 1, { barVolatility: 0.02 })
        .fills[0]?.price;
    });

    // 20000 × 1 × 0.02 × sqrt(1/100) = 40; with 4 BTC: 20000 × 0.02 × sqrt(4/100) = 80
    expect(prices).toEqual([20040, 20080]);
  });

  it('never lets a reduce-only market order flip the position', () => {
    const ex = exchange({ slippage: { kind: 'none' } });
    ex.setPosition(BTC.symbol, 0.4);
    const o = ex.submit(order('sell', 'market', 1, null, { reduceOnly: true, purpose: 'exit' }), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000), 1, calm);

    expect(fills.map((f) => f.quantity)).toEqual([0.4]);
    expect(ex.getPosition(BTC.symbol)).toBe(0);
    expect(ex.getOrder(o.id)).toMatchObject({
      status: 'canceled',
      reason: 'reduce-only: the position is closed',
    });
  });

  it('finishes a reduce-only stop the position limits by float noise as filled, without canceling it', () => {
    // Found by an optimization sweep: the position was short of the stop's quantity by less than the order's
    // quantity tolerance, so the fill completed the order and the reduce-only cancel hit a filled order.
    const fine = { ...BTC, stepSize: 1e-8, minQty: 1e-8, minNotional: 0 };
    const ex = new SimulatedExchange({
      instruments: new Map([[fine.symbol, fine]]),
      execution: { ...BASE_EXECUTION, slippage: { kind: 'none' } },
    });
    ex.setPosition(fine.symbol, 90.54149895);
    const stop = ex.submit(
      order('sell', 'stop', 90.541499, 105.8, { reduceOnly: true, purpose: 'stop_loss' }),
      1,
      0,
    );

    const { fills } = ex.processBar(fine.symbol, bar(106, 106, 105, 105.5), 1, calm);

    expect(fills.map((f) => f.quantity)).toEqual([90.54149895]);
    expect(ex.getOrder(stop.id)?.status).toBe('filled');
    expect(ex.getPosition(fine.symbol)).toBe(0);
  });

  it('cancels a reduce-only market order when there is nothing to reduce', () => {
    const ex = exchange();
    const o = ex.submit(order('sell', 'market', 1, null, { reduceOnly: true, purpose: 'exit' }), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000), 1, calm);

    expect(fills).toHaveLength(0);
    expect(ex.getOrder(o.id)?.reason).toBe('reduce-only: there is no position to reduce');
  });
});

describe('SimulatedExchange limit orders', () => {
  it('fills a limit touched exactly at its price with the maker fee and no slippage', () => {
    const ex = exchange();
    const o = ex.submit(order('buy', 'limit', 0.5, 19500), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20100, 19500, 19800), 1, calm);

    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ orderId: o.id, price: 19500, quantity: 0.5, liquidity: 'maker' });
    // 0.5 × 19500 × 0.0002
    expect(fills[0]?.fee).toBeCloseTo(1.95, 12);
  });

  it('does not fill a limit the bar never reaches', () => {
    const ex = exchange();
    const o = ex.submit(order('buy', 'limit', 0.5, 19500), 1, 0);

    const { fills, events } = ex.processBar(BTC.symbol, bar(20000, 20100, 19500.01, 19800), 1, calm);

    expect(fills).toHaveLength(0);
    expect(events).toHaveLength(0);
    expect(ex.getOrder(o.id)?.status).toBe('accepted');
  });

  it('fills a sell limit at the open when the bar opens above it', () => {
    const ex = exchange();
    ex.setPosition(BTC.symbol, 1);
    ex.submit(order('sell', 'limit', 1, 21000, { reduceOnly: true, purpose: 'take_profit' }), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(21200, 21300, 21100, 21150), 1, calm);

    expect(fills[0]?.price).toBe(21200);
  });

  it('continues a partially filled limit on the next bar', () => {
    const ex = exchange({ maxVolumeShare: 0.1 });
    const o = ex.submit(order('buy', 'limit', 0.8, 19500), 1, 0);

    const first = ex.processBar(BTC.symbol, bar(20000, 20000, 19400, 19600, 5), 1, calm);
    const afterFirst = ex.getOrder(o.id);
    const second = ex.processBar(BTC.symbol, bar(19600, 19700, 19450, 19500, 10), 2, calm);

    // bar 1: 10% of 5 = 0.5; bar 2: the remaining 0.3 (cap 1.0)
    expect(first.fills.map((f) => f.quantity)).toEqual([0.5]);
    expect(afterFirst).toMatchObject({ status: 'partially_filled', filledQuantity: 0.5 });
    expect(second.fills.map((f) => f.quantity)).toEqual([0.3]);
    expect(ex.getOrder(o.id)).toMatchObject({ status: 'filled', filledQuantity: 0.8, averagePrice: 19500 });
  });

  it('expires an order after its last bar, before it could fill', () => {
    const ex = exchange();
    const o = ex.submit(order('buy', 'limit', 0.5, 19500, { expiresAtBar: 2 }), 1, 0);

    ex.processBar(BTC.symbol, bar(20000, 20000, 19900, 20000), 1, calm);
    const atLastBar = ex.processBar(BTC.symbol, bar(20000, 20000, 19900, 20000), 2, calm);
    const after = ex.processBar(BTC.symbol, bar(19000, 19100, 18900, 19000), 3, calm);

    expect(atLastBar.events).toHaveLength(0);
    expect(after.fills).toHaveLength(0);
    expect(after.events.map((e) => e.event.type)).toEqual(['OrderExpired']);
    expect(ex.getOrder(o.id)).toMatchObject({ status: 'expired', reason: 'expired' });
  });
});

describe('SimulatedExchange stop orders', () => {
  it('fills a stop gapped through at the open, the worse price, plus slippage', () => {
    const ex = exchange();
    ex.setPosition(BTC.symbol, 1);
    ex.submit(order('sell', 'stop', 1, 19000, { reduceOnly: true, purpose: 'stop_loss' }), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(18500, 18700, 18000, 18200), 1, calm);

    // 18500 × 0.999 = 18481.5, taker fee 18481.5 × 0.0005
    expect(fills[0]).toMatchObject({ price: 18481.5, liquidity: 'taker', purpose: 'stop_loss' });
    expect(fills[0]?.fee).toBeCloseTo(9.24075, 9);
  });

  it('fills a buy stop gapped through at the higher open', () => {
    const ex = exchange({ slippage: { kind: 'none' } });
    ex.submit(order('buy', 'stop', 1, 20500), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20800, 21000, 20700, 20900), 1, calm);

    expect(fills[0]).toMatchObject({ price: 20800, liquidity: 'taker' });
  });

  it('fills a stop reached inside the bar at the stop price plus slippage', () => {
    const ex = exchange();
    ex.submit(order('buy', 'stop', 1, 20500), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20600, 19900, 20400), 1, calm);

    // 20500 × 1.001 = 20520.5
    expect(fills[0]?.price).toBe(20520.5);
  });

  it('fills the stop and cancels the target when both lie inside one bar', () => {
    const ex = exchange();
    ex.setPosition(BTC.symbol, 1);
    const target = ex.submit(
      order('sell', 'limit', 1, 21000, { reduceOnly: true, ocoGroup: 'g1', purpose: 'take_profit' }),
      1,
      0,
    );
    const stop = ex.submit(
      order('sell', 'stop', 1, 19000, { reduceOnly: true, ocoGroup: 'g1', purpose: 'stop_loss' }),
      1,
      0,
    );

    const { fills, events } = ex.processBar(BTC.symbol, bar(20000, 21500, 18500, 20000), 1, calm);

    expect(fills.map((f) => [f.orderId, f.price])).toEqual([[stop.id, 18981]]);
    expect(ex.getOrder(target.id)).toMatchObject({
      status: 'canceled',
      reason: `OCO: ${stop.id} in group g1 filled`,
    });
    expect(events.map((e) => e.event.type)).toEqual(['OrderFilled', 'OrderCanceled']);
  });

  it('cancels the stop when the target of its OCO group fills', () => {
    const ex = exchange();
    ex.setPosition(BTC.symbol, 1);
    const stop = ex.submit(order('sell', 'stop', 1, 19000, { reduceOnly: true, ocoGroup: 'g1' }), 1, 0);
    const target = ex.submit(order('sell', 'limit', 1, 21000, { reduceOnly: true, ocoGroup: 'g1' }), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 21500, 19500, 21200), 1, calm);

    expect(fills.map((f) => [f.orderId, f.price, f.liquidity])).toEqual([[target.id, 21000, 'maker']]);
    expect(ex.getOrder(stop.id)?.status).toBe('canceled');
    expect(ex.openOrders()).toEqual([]);
    expect(ex.getPosition(BTC.symbol)).toBe(0);
  });

  it('stops out an entry filled earlier in the same bar (pessimistic), but does not take its profit', () => {
    const ex = exchange({ slippage: { kind: 'none' } });
    const stop = ex.submit(order('sell', 'stop', 1, 19000, { reduceOnly: true, purpose: 'stop_loss' }), 1, 0);
    const target = ex.submit(
      order('sell', 'limit', 1, 21000, { reduceOnly: true, purpose: 'take_profit' }),
      1,
      0,
    );
    const entry = ex.submit(order('buy', 'limit', 1, 19500), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 21500, 18500, 20000), 1, calm);

    expect(fills.map((f) => [f.orderId, f.price])).toEqual([
      [entry.id, 19500],
      [stop.id, 19000],
    ]);
    expect(ex.getOrder(target.id)?.status).toBe('accepted');
  });

  it('leaves a reduce-only stop working while there is no position', () => {
    const ex = exchange();
    const stop = ex.submit(order('sell', 'stop', 1, 19000, { reduceOnly: true }), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20000, 18500, 19000), 1, calm);

    expect(fills).toHaveLength(0);
    expect(ex.getOrder(stop.id)?.status).toBe('accepted');
  });
});

describe('SimulatedExchange.fillAtPrice', () => {
  it("fills a market order at this bar's close with slippage and the taker fee", () => {
    const ex = exchange({ fill: 'close' });
    const b = bar(20000, 20200, 19900, 20100.5, 1000, 5);
    const o = ex.submit(order('buy', 'market', 0.25), 5, 3);

    const { fills } = ex.fillAtPrice(o.id, b.close, b, 3);

    // 20100.5 × 1.001 = 20120.6005 → up → 20120.61
    expect(fills[0]).toMatchObject({ price: 20120.61, quantity: 0.25, barIndex: 3, time: 5 });
    expect(fills[0]?.fee).toBeCloseTo(0.25 * 20120.61 * 0.0005, 9);
  });

  it('applies the volume cap and cancels the rest', () => {
    const ex = exchange({ fill: 'close', maxVolumeShare: 0.5 });
    const b = bar(20000, 20200, 19900, 20100, 1);
    const o = ex.submit(order('buy', 'market', 2), 5, 3);

    const { fills } = ex.fillAtPrice(o.id, b.close, b, 3);

    expect(fills.map((f) => f.quantity)).toEqual([0.5]);
    expect(ex.getOrder(o.id)?.status).toBe('canceled');
  });

  it('refuses a price outside the bar and a non-market order', () => {
    const ex = exchange({ fill: 'close' });
    const b = bar(20000, 20200, 19900, 20100);
    const market = ex.submit(order('buy', 'market', 1), 5, 3);
    const limit = ex.submit(order('buy', 'limit', 1, 19000), 5, 3);

    expect(() => ex.fillAtPrice(market.id, 25000, b, 3)).toThrow('lies outside bar 3');
    expect(() => ex.fillAtPrice(limit.id, 20100, b, 3)).toThrow('fillAtPrice needs a working market order');
  });
});

describe('SimulatedExchange cancel and queries', () => {
  it('cancels one order, then refuses to cancel it again', () => {
    const ex = exchange();
    const o = ex.submit(order('buy', 'limit', 1, 19000), 1, 0);

    const canceled = ex.cancel(o.id, 'user changed their mind', 2);

    expect(canceled).toMatchObject({ status: 'canceled', reason: 'user changed their mind' });
    expect(() => ex.cancel(o.id, 'again', 3)).toThrow(IllegalTransitionError);
    expect(() => ex.cancel('nope', 'x', 3)).toThrow('unknown order nope');
  });

  it('cancels all working orders of one symbol and lists open orders by symbol', () => {
    const eth: Instrument = { ...BTC, symbol: 'ETH/USDT', base: 'ETH' };
    const ex = new SimulatedExchange({
      instruments: new Map([
        [BTC.symbol, BTC],
        [eth.symbol, eth],
      ]),
      execution: BASE_EXECUTION,
    });
    const a = ex.submit(order('buy', 'limit', 1, 19000), 1, 0);
    const b = ex.submit({ ...order('buy', 'limit', 1, 1000), symbol: eth.symbol }, 1, 0);

    const events = ex.cancelAll(BTC.symbol, 'flatten');

    expect(events).toEqual([{ orderId: a.id, event: { type: 'OrderCanceled', time: 1, reason: 'flatten' } }]);
    expect(ex.openOrders().map((o) => o.id)).toEqual([b.id]);
    expect(ex.openOrders(BTC.symbol)).toEqual([]);
  });
});

describe('SimulatedExchange input checks', () => {
  it('refuses a bar whose high is below its open', () => {
    const ex = exchange();

    expect(() => ex.processBar(BTC.symbol, bar(100, 99, 98, 99), 7, calm)).toThrow(
      'bar 7 of BTC/USDT is not a valid candle',
    );
  });

  it('refuses to process a bar index twice', () => {
    const ex = exchange();
    ex.processBar(BTC.symbol, bar(100, 100, 100, 100), 1, calm);

    expect(() => ex.processBar(BTC.symbol, bar(100, 100, 100, 100), 1, calm)).toThrow(
      'bars must move forward',
    );
  });

  it('refuses a position that is not a number', () => {
    expect(() => exchange().setPosition(BTC.symbol, Number.NaN)).toThrow('quantity must be a finite number');
  });

  it('refuses a volume share that would never fill anything', () => {
    expect(() => exchange({ maxVolumeShare: 0 })).toThrow('maxVolumeShare must be > 0');
  });

  it('works with the project defaults', () => {
    const ex = new SimulatedExchange({
      instruments: new Map([[BTC.symbol, BTC]]),
      execution: DEFAULT_EXECUTION,
    });
    ex.submit(order('buy', 'market', 0.01), 1, 0);

    const { fills } = ex.processBar(BTC.symbol, bar(20000, 20000, 20000, 20000, 1), 1, calm);

    // 20000 × 1.0002 = 20004; 10% of 1 BTC = 0.1 ≥ 0.01
    expect(fills[0]).toMatchObject({ price: 20004, quantity: 0.01 });
    expect(fills[0]?.fee).toBeCloseTo(0.01 * 20004 * 0.0005, 12);
  });
});
