// The simulated exchange behind backtests and paper trading: it accepts or rejects orders by the symbol's
// filters and fills them bar by bar, pessimistically, with slippage, fees, volume caps and OCO groups.
import type { Bar } from '@candleflow/strategy-dsl';
import {
  applyOrderEvent,
  canApply,
  IllegalTransitionError,
  isWorking,
  remainingQuantity,
} from '../orders/order-state';
import type { ClientOrderId, ExecutionSettings, Fill, Instrument, Order, OrderEvent, Side } from '../types';
import { fee, slippedPrice } from './costs';
import { checkOrderFilters, roundQuantity, roundToIncrement, roundToTick } from './instrument';

export interface ExchangeEvent {
  readonly orderId: ClientOrderId;
  readonly event: OrderEvent;
}

export interface ExchangeReport {
  readonly fills: Fill[];
  readonly events: ExchangeEvent[];
}

export interface BarContext {
  /** Relative volatility known before this bar opened, e.g. (high − low) / close of the previous bar. */
  readonly barVolatility: number;
}

export interface SimulatedExchangeOptions {
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly execution: ExecutionSettings;
  /** Called for every event the exchange applies, in order (journals, audit logs, the OMS). */
  readonly onEvent?: (event: ExchangeEvent, order: Order) => void;
}

type Limiter = 'volume' | 'position' | null;

interface FillOutcome {
  readonly quantity: number;
  /** What kept the fill below the order's open quantity. */
  readonly limitedBy: Limiter;
}

export class SimulatedExchange {
  private readonly instruments: ReadonlyMap<string, Instrument>;
  private readonly execution: ExecutionSettings;
  private readonly onEvent: SimulatedExchangeOptions['onEvent'];
  private readonly orders = new Map<ClientOrderId, Order>();
  /** Working orders only, in submission order (a Map keeps insertion order). */
  private readonly working = new Map<ClientOrderId, Order>();
  private readonly submittedAtBar = new Map<ClientOrderId, number>();
  private readonly positions = new Map<string, number>();
  private readonly lastClose = new Map<string, number>();
  private readonly lastBarIndex = new Map<string, number>();
  private lastTime = 0;
  private events: ExchangeEvent[] = [];
  private fills: Fill[] = [];

  constructor(options: SimulatedExchangeOptions) {
    const { execution } = options;
    if (!(execution.maxVolumeShare > 0)) {
      throw new RangeError(
        `execution.maxVolumeShare must be > 0 (1 = no volume cap), got ${execution.maxVolumeShare}`,
      );
    }
    this.instruments = options.instruments;
    this.execution = execution;
    this.onEvent = options.onEvent;
  }

  /**
   * Sends a pending order to the exchange: OrderSubmitted, then OrderAccepted or OrderRejected. The quantity
   * is rounded down to the step and a limit/stop price to the tick on the side that never improves it for
   * the trader (buy limit and sell stop down, sell limit and buy stop up) before the filters are checked; the
   * returned order carries the rounded values. Market orders are checked for min notional against the last
   * close seen for the symbol, if any. Submitting an id the exchange already knows returns the stored order
   * unchanged, so a retried submit never duplicates an order.
   */
  submit(order: Order, time: number, barIndex: number): Order {
    const known = this.orders.get(order.id);
    if (known !== undefined) return known;
    // Checked before anything is stored, so a bad submit leaves the exchange as it was.
    if (!canApply(order.status, 'OrderSubmitted')) {
      throw new IllegalTransitionError(order.id, order.status, 'OrderSubmitted');
    }
    this.begin(time);
    const instrument = this.instruments.get(order.symbol);
    const normalized = instrument === undefined ? order : normalizeOrder(order, instrument);
    this.orders.set(order.id, normalized);
    this.submittedAtBar.set(order.id, barIndex);
    this.apply(normalized.id, { type: 'OrderSubmitted', time });
    const reason = this.rejectionReason(order, normalized, instrument);
    if (reason !== null) return this.apply(order.id, { type: 'OrderRejected', time, reason });
    return this.apply(order.id, { type: 'OrderAccepted', time });
  }

  /**
   * Fills a working market order at `price` (the "close" fill mode: this bar's close), with slippage, the
   * taker fee and the volume cap. The unfilled rest is canceled, or keeps working into the next bars' opens
   * when execution.marketRemainder is 'keep'. Without ctx the bar's own range gives the volatility: the bar
   * has closed, so this is not look-ahead.
   */
  fillAtPrice(
    orderId: ClientOrderId,
    price: number,
    bar: Bar,
    barIndex: number,
    ctx?: BarContext,
  ): ExchangeReport {
    const order = this.requireOrder(orderId);
    if (order.type !== 'market' || !isWorking(order.status)) {
      throw new Error(
        `fillAtPrice needs a working market order, but ${orderId} is a ${order.status} ${order.type} order; ` +
          'limit and stop orders fill in processBar',
      );
    }
    validateBar(order.symbol, bar, barIndex);
    if (!(price >= bar.low && price <= bar.high)) {
      throw new RangeError(
        `fillAtPrice(${orderId}): price ${price} lies outside bar ${barIndex} [${bar.low}, ${bar.high}]; fill at a price the bar traded`,
      );
    }
    this.begin(bar.time);
    const barVolatility = ctx?.barVolatility ?? (bar.close > 0 ? (bar.high - bar.low) / bar.close : 0);
    this.fillMarket(order, price, bar, barIndex, barVolatility);
    return this.report();
  }

  /**
   * Advances one symbol by one bar. In this order: orders past expiresAtBar expire; market orders fill at the
   * open; triggered stops fill (before limits: when a stop and its target are both inside the bar, the
   * stop is assumed to come first); then limits. Orders submitted on this bar index or later wait for the
   * next bar, so nothing fills on prices seen before it was sent.
   */
  processBar(symbol: string, bar: Bar, barIndex: number, ctx: BarContext): ExchangeReport {
    validateBar(symbol, bar, barIndex);
    const previous = this.lastBarIndex.get(symbol);
    if (previous !== undefined && barIndex <= previous) {
      throw new RangeError(
        `processBar(${symbol}): bar ${barIndex} comes after bar ${previous} was already processed; bars must move forward`,
      );
    }
    this.lastBarIndex.set(symbol, barIndex);
    this.begin(bar.time);

    const live = [...this.working.values()].filter(
      (o) => o.symbol === symbol && (this.submittedAtBar.get(o.id) ?? barIndex) < barIndex,
    );
    for (const o of live) {
      if (o.expiresAtBar !== null && barIndex > o.expiresAtBar) {
        this.apply(o.id, { type: 'OrderExpired', time: bar.time });
      }
    }
    for (const o of live) {
      const current = this.working.get(o.id);
      if (current?.type === 'market') this.fillMarket(current, bar.open, bar, barIndex, ctx.barVolatility);
    }

    const stops = live.filter((o) => o.type === 'stop');
    const limits = live.filter((o) => o.type === 'limit');
    const waitingForPosition: ClientOrderId[] = [];
    for (const o of [...stops, ...limits]) {
      const outcome = this.tryResting(o.id, bar, barIndex, ctx.barVolatility);
      if (outcome === 'no_position' && o.type === 'stop') waitingForPosition.push(o.id);
    }
    // An entry filled inside this bar can still be stopped out in it (the pessimistic path); a target
    // cannot be reached in the entry's bar, so limits are not retried.
    for (const id of waitingForPosition) this.tryResting(id, bar, barIndex, ctx.barVolatility);

    this.lastClose.set(symbol, bar.close);
    return this.report();
  }

  /** Cancels one working order. Throws for an unknown id and (IllegalTransitionError) for a finished order. */
  cancel(orderId: ClientOrderId, reason: string, time: number): Order {
    this.requireOrder(orderId);
    this.begin(time);
    return this.apply(orderId, { type: 'OrderCanceled', time, reason });
  }

  /** Cancels every working order, or those of one symbol; returns the events applied. */
  cancelAll(
    symbol?: string,
    reason = 'canceled by cancelAll',
    time: number = this.lastTime,
  ): ExchangeEvent[] {
    this.begin(time);
    for (const o of [...this.working.values()]) {
      if (symbol === undefined || o.symbol === symbol) {
        this.apply(o.id, { type: 'OrderCanceled', time, reason });
      }
    }
    return this.report().events;
  }

  getOrder(orderId: ClientOrderId): Order | undefined {
    return this.orders.get(orderId);
  }

  /** Working orders (submitted, accepted, partially filled), in submission order. */
  openOrders(symbol?: string): Order[] {
    return [...this.working.values()].filter((o) => symbol === undefined || o.symbol === symbol);
  }

  /**
   * The exchange keeps a signed net position per symbol from its own fills, so reduce-only orders are capped
   * correctly within one bar. Call setPosition when the account knows better (a start from an existing
   * position, a liquidation, a fill from another venue).
   */
  setPosition(symbol: string, signedQuantity: number): void {
    if (!Number.isFinite(signedQuantity)) {
      throw new RangeError(`setPosition(${symbol}): quantity must be a finite number, got ${signedQuantity}`);
    }
    this.positions.set(symbol, signedQuantity);
  }

  getPosition(symbol: string): number {
    return this.positions.get(symbol) ?? 0;
  }

  // ---------------------------------------------------------------------------------------------------

  private begin(time: number): void {
    this.events = [];
    this.fills = [];
    if (time > this.lastTime) this.lastTime = time;
  }

  private report(): ExchangeReport {
    const report = { fills: this.fills, events: this.events };
    this.events = [];
    this.fills = [];
    return report;
  }

  private requireOrder(orderId: ClientOrderId): Order {
    const order = this.orders.get(orderId);
    if (order === undefined) {
      throw new Error(`unknown order ${orderId}: it was never submitted to this exchange`);
    }
    return order;
  }

  /** The one place an order changes: through the transition table. */
  private apply(orderId: ClientOrderId, event: OrderEvent): Order {
    const next = applyOrderEvent(this.requireOrder(orderId), event);
    this.orders.set(orderId, next);
    if (isWorking(next.status)) this.working.set(orderId, next);
    else this.working.delete(orderId);
    const record = { orderId, event };
    this.events.push(record);
    this.onEvent?.(record, next);
    return next;
  }

  private rejectionReason(original: Order, order: Order, instrument: Instrument | undefined): string | null {
    if (instrument === undefined) {
      return `unknown symbol ${order.symbol}: the exchange has no instrument for it; add it to the instruments map`;
    }
    if (order.quantity <= 0) {
      return `quantity ${original.quantity} rounds down to 0 at the step size ${instrument.stepSize} for ${order.symbol}`;
    }
    const reference = order.type === 'market' ? (this.lastClose.get(order.symbol) ?? null) : order.price;
    return checkOrderFilters(instrument, order.quantity, reference);
  }

  private fillMarket(
    order: Order,
    basePrice: number,
    bar: Bar,
    barIndex: number,
    barVolatility: number,
  ): void {
    const outcome = this.fill(order, basePrice, 'taker', bar, barIndex, barVolatility);
    const after = this.working.get(order.id);
    if (after === undefined || outcome.limitedBy === null) return;
    if (outcome.limitedBy === 'position') {
      this.apply(order.id, {
        type: 'OrderCanceled',
        time: bar.time,
        reason:
          outcome.quantity > 0
            ? 'reduce-only: the position is closed'
            : 'reduce-only: there is no position to reduce',
      });
    } else if (this.execution.marketRemainder === 'cancel') {
      this.apply(order.id, {
        type: 'OrderCanceled',
        time: bar.time,
        reason: `volume cap: at most ${this.execution.maxVolumeShare} of bar volume ${bar.volume} fills per order per bar`,
      });
    }
  }

  /** Fills a stop or limit order if the bar's range reaches it. */
  private tryResting(
    orderId: ClientOrderId,
    bar: Bar,
    barIndex: number,
    barVolatility: number,
  ): 'filled' | 'untouched' | 'no_position' | 'done' {
    const order = this.working.get(orderId);
    if (order === undefined || order.price === null) return 'done';
    const base = order.type === 'stop' ? stopFillBase(order, bar) : limitFillBase(order, bar);
    if (base === null) return 'untouched';
    const liquidity = order.type === 'stop' ? 'taker' : 'maker';
    const outcome = this.fill(order, base, liquidity, bar, barIndex, barVolatility);
    // A fill the position limited may still complete the order within quantity tolerance (the position
    // short of the order by float noise): a filled order is final and must not be canceled.
    if (outcome.limitedBy === 'position' && this.working.has(orderId)) {
      if (outcome.quantity === 0) return 'no_position';
      this.apply(orderId, {
        type: 'OrderCanceled',
        time: bar.time,
        reason: 'reduce-only: the position is closed',
      });
    }
    return 'filled';
  }

  private fill(
    order: Order,
    basePrice: number,
    liquidity: 'maker' | 'taker',
    bar: Bar,
    barIndex: number,
    barVolatility: number,
  ): FillOutcome {
    const instrument = this.instruments.get(order.symbol)!;
    const { stepSize, tickSize } = instrument;
    const remaining = roundToIncrement(remainingQuantity(order), stepSize, 'nearest');
    const volumeCap =
      this.execution.maxVolumeShare >= 1
        ? Number.POSITIVE_INFINITY
        : roundQuantity(this.execution.maxVolumeShare * bar.volume, stepSize);
    const reducible = order.reduceOnly
      ? reducibleQuantity(order.side, this.getPosition(order.symbol))
      : Number.POSITIVE_INFINITY;
    const quantity = roundQuantity(Math.min(remaining, volumeCap, reducible), stepSize);
    const limitedBy: Limiter = quantity >= remaining ? null : reducible <= volumeCap ? 'position' : 'volume';
    if (quantity <= 0) return { quantity: 0, limitedBy };

    let price: number;
    if (liquidity === 'taker') {
      const slipped = slippedPrice(this.execution.slippage, order.side, basePrice, {
        quantity,
        barVolume: bar.volume,
        barVolatility,
      });
      // Rounded against the taker, and never below one tick however large a fixed slippage is.
      price = Math.max(tickSize, roundToTick(slipped, tickSize, order.side === 'buy' ? 'up' : 'down'));
    } else {
      price = roundToTick(basePrice, tickSize, 'nearest');
    }
    const rate = liquidity === 'maker' ? this.execution.makerFee : this.execution.takerFee;
    const time = bar.time;
    const filled = this.apply(order.id, { type: 'OrderFilled', time, quantity, price });
    this.fills.push({
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      quantity,
      price,
      fee: fee(quantity * price, rate),
      liquidity,
      time,
      barIndex,
      purpose: order.purpose,
    });
    const signed = order.side === 'buy' ? quantity : -quantity;
    this.positions.set(
      order.symbol,
      roundToIncrement(this.getPosition(order.symbol) + signed, stepSize, 'nearest'),
    );
    if (filled.ocoGroup !== null) this.cancelOcoSiblings(filled, time);
    return { quantity, limitedBy };
  }

  /** Exchanges cancel the other legs of an OCO group as soon as one leg fills, even partly. */
  private cancelOcoSiblings(filled: Order, time: number): void {
    for (const o of [...this.working.values()]) {
      if (o.ocoGroup === filled.ocoGroup && o.id !== filled.id) {
        this.apply(o.id, {
          type: 'OrderCanceled',
          time,
          reason: `OCO: ${filled.id} in group ${o.ocoGroup} filled`,
        });
      }
    }
  }
}

/** How much an order on `side` may fill without growing or flipping a position of `position`. */
function reducibleQuantity(side: Side, position: number): number {
  return side === 'buy' ? Math.max(-position, 0) : Math.max(position, 0);
}

function normalizeOrder(order: Order, instrument: Instrument): Order {
  const quantity = roundQuantity(order.quantity, instrument.stepSize);
  let price = order.price;
  if (price !== null && Number.isFinite(price) && price > 0) {
    const passiveDown = (order.type === 'limit') === (order.side === 'buy');
    price = roundToTick(price, instrument.tickSize, passiveDown ? 'down' : 'up');
  }
  return quantity === order.quantity && price === order.price ? order : { ...order, quantity, price };
}

/** A stop triggers when the bar reaches it; gapped through, it fills at the open, which is worse. */
function stopFillBase(order: Order, bar: Bar): number | null {
  const trigger = order.price!;
  if (order.side === 'buy') {
    if (bar.high < trigger) return null;
    return Math.max(bar.open, trigger);
  }
  if (bar.low > trigger) return null;
  return Math.min(bar.open, trigger);
}

/** A limit fills when the bar touches it, at its price or at the open when the open is already better. */
function limitFillBase(order: Order, bar: Bar): number | null {
  const limit = order.price!;
  if (order.side === 'buy') {
    if (bar.low > limit) return null;
    return Math.min(bar.open, limit);
  }
  if (bar.high < limit) return null;
  return Math.max(bar.open, limit);
}

function validateBar(symbol: string, bar: Bar, barIndex: number): void {
  const { open, high, low, close, volume } = bar;
  const finite = [bar.time, open, high, low, close, volume].every(Number.isFinite);
  if (!finite || low > Math.min(open, close) || high < Math.max(open, close) || low <= 0 || volume < 0) {
    throw new RangeError(
      `bar ${barIndex} of ${symbol} is not a valid candle (open ${open}, high ${high}, low ${low}, close ${close}, ` +
        `volume ${volume}): prices must be positive with low <= open, close <= high and volume >= 0; fix the data`,
    );
  }
}
