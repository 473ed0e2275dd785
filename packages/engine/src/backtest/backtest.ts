// The backtest loop: market data → strategy kernel → risk engine → orders → simulated exchange → account.
// Paper and live trading run the same pieces with another clock, data source and execution client.
import { type CandleSeries, hashCandles } from '@candleflow/data';
import {
  type Bar,
  createKernel,
  type Exit,
  type KernelOrder,
  type OrderIntent,
  type Plan,
  type RiskSettings,
  requireTimeframeMs,
} from '@candleflow/strategy-dsl';
import { Account } from '../account/account';
import { TradeTracker } from '../account/trades';
import { inferInstrument, roundQuantity, roundToTick } from '../exchange/instrument';
import { slippedPrice } from '../exchange/costs';
import { type ExchangeReport, SimulatedExchange } from '../exchange/sim-exchange';
import { computeMetrics, type Metrics } from '../metrics/metrics';
import { realismWarnings } from '../metrics/warnings';
import { clientOrderId, createOrder } from '../orders/ids';
import { type RiskDecision, RiskEngine, type RiskStateChange } from '../risk/risk-engine';
import { effectiveSizing, resolveQuantity } from '../risk/sizing';
import type {
  ClientOrderId,
  EngineOrderType,
  EquityPoint,
  Fill,
  Instrument,
  Order,
  OrderPurpose,
  Side,
  Trade,
} from '../types';
import { ENGINE_VERSION } from '../version';
import type { BacktestSettings } from './settings';

export interface BacktestInput {
  readonly plan: Plan;
  /** Candles per symbol; every symbol the plan reads must be present, all in the plan's base timeframe. */
  readonly data: ReadonlyMap<string, CandleSeries>;
  readonly settings: BacktestSettings;
  readonly risk?: RiskSettings;
  /** Names the run in client order ids (deterministic: the same run gives the same ids). */
  readonly runId?: string;
  readonly kernelMode?: 'fast' | 'evaluator';
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the run early (cancellation); checked every progress tick. */
  readonly shouldStop?: () => boolean;
}

/** A signal the engine did not act on, and why (the report lists them). */
export interface IgnoredSignal {
  readonly time: number;
  readonly barIndex: number;
  readonly nodeId: string;
  readonly symbol: string;
  readonly action: string;
  readonly reason: string;
}

export interface BacktestResult {
  readonly metrics: Metrics;
  /** One point per bar. Made from `equityColumns` on first read and kept: a million bars make about 65 MB
   * of points, so code that only summarises the curve should read the columns. */
  readonly equity: readonly EquityPoint[];
  /** The same curve as columns (row i is equity[i]); computeMetrics takes them as they are. */
  readonly equityColumns: { readonly time: Float64Array; readonly equity: Float64Array };
  readonly trades: readonly Trade[];
  /** Trades still open at the end (when closeAtEnd is off), marked at the last close. */
  readonly openTrades: readonly {
    symbol: string;
    direction: 'long' | 'short';
    quantity: number;
    entryTime: number;
    entryPrice: number;
    unrealisedPnl: number;
  }[];
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly riskDecisions: readonly RiskDecision[];
  readonly riskStateChanges: readonly RiskStateChange[];
  readonly ignoredSignals: readonly IgnoredSignal[];
  readonly warnings: readonly string[];
  readonly buyAndHoldReturnPct: number | null;
  readonly settings: BacktestSettings;
  readonly provenance: {
    readonly engineVersion: string;
    readonly nodes: readonly { readonly type: string; readonly version: number }[];
    readonly dataHashes: Readonly<Record<string, string>>;
    readonly paramValues: Readonly<Record<string, number | string | boolean>>;
    readonly seed: number;
  };
  readonly bars: number;
  /** True when shouldStop ended the run before the last bar. */
  readonly stopped: boolean;
}

type PendingAction =
  | {
      readonly kind: 'intent';
      readonly nodeId: string;
      readonly intent: OrderIntent;
      readonly decidedAt: number;
    }
  | { readonly kind: 'close'; readonly purpose: OrderPurpose; readonly decidedAt: number };

/** Protective orders and timers of one open position. */
interface Protection {
  exits: readonly Exit[];
  /**
   * The first bar the position was held for from its open: the entry bar when the entry filled at the open,
   * else the next one. Time exits count held bars from it, and a trailing stop ratchets only on bars from
   * it on, never on prices of the entry bar that may have traded before the fill.
   */
  firstHeldBar: number;
  stopId: ClientOrderId | null;
  targetId: ClientOrderId | null;
  trailing: {
    readonly percent?: number;
    readonly distance?: number;
    level: number;
    orderId: ClientOrderId | null;
  } | null;
  timeExitBars: number | null;
}

interface SymbolState {
  readonly symbol: string;
  readonly series: CandleSeries;
  readonly instrument: Instrument;
  cursor: number;
  bar: Bar | null;
  volatility: number;
  pending: PendingAction[];
  protection: Protection | null;
  /** Exits to attach when the entry order with this id fills (limit and stop entries fill later). */
  readonly entryExits: Map<ClientOrderId, readonly Exit[]>;
}

export function runBacktest(input: BacktestInput): BacktestResult {
  return new BacktestRun(input).run();
}

class BacktestRun {
  private readonly settings: BacktestSettings;
  private readonly plan: Plan;
  private readonly symbols: SymbolState[];
  private readonly bySymbol = new Map<string, SymbolState>();
  private readonly account: Account;
  private readonly tracker: TradeTracker;
  private readonly exchange: SimulatedExchange;
  private readonly risk: RiskEngine;
  private readonly marks = new Map<string, number>();
  /** The equity curve as columns while the run goes (two numbers a bar, no objects); see equityPoints(). */
  private equityTimes = new Float64Array(0);
  private equityValues = new Float64Array(0);
  private equityCount = 0;
  private readonly fills: Fill[] = [];
  /** The latest state of every order the exchange has seen, in submission order. */
  private readonly orders = new Map<ClientOrderId, Order>();
  private readonly unbooked: string[] = [];
  private readonly ignored: IgnoredSignal[] = [];
  private readonly runId: string;
  private readonly seqByBar = new Map<string, number>();
  private exposureBars = 0;
  private time = 0;
  /** Where in the bar fills are happening: at the open, inside the bar (resting orders), or at the close. */
  private phase: 'open' | 'intrabar' | 'close' = 'open';
  /** Why the last market order was not placed (marketOrder returns null), for the ignored-signal report. */
  private refusal = '';
  /** The run's bar times; a bar index of the run maps to its time through it. */
  private times: ArrayLike<number> = [];

  constructor(private readonly input: BacktestInput) {
    this.settings = input.settings;
    this.plan = input.plan;
    this.runId = input.runId ?? 'backtest';
    const baseMs = requireTimeframeMs(this.plan.baseTimeframe);
    const instruments = new Map<string, Instrument>();
    this.symbols = this.plan.symbols.map((symbol) => {
      const series = input.data.get(symbol);
      if (series === undefined) {
        throw new Error(
          `the strategy reads ${symbol} but no data was given for it (data has: ${[...input.data.keys()].join(', ') || 'nothing'})`,
        );
      }
      const seriesMs = requireTimeframeMs(series.timeframe);
      if (seriesMs !== baseMs) {
        throw new Error(
          `the strategy reads ${symbol} ${this.plan.baseTimeframe} candles but the data is ${series.timeframe}; ` +
            `set the candles node's timeframe to ${series.timeframe} and use a resample node for higher timeframes`,
        );
      }
      const instrument = this.settings.instruments?.[symbol] ?? inferInstrument(symbol, series.close);
      instruments.set(symbol, instrument);
      const state: SymbolState = {
        symbol,
        series,
        instrument,
        cursor: 0,
        bar: null,
        volatility: 0,
        pending: [],
        protection: null,
        entryExits: new Map(),
      };
      this.bySymbol.set(symbol, state);
      return state;
    });
    const quotes = new Set([...instruments.values()].map((i) => i.quote));
    if (quotes.size > 1) {
      // Checked here rather than left to the Account, whose message names only the first odd symbol.
      const [first, ...rest] = [...instruments.values()];
      throw new Error(
        `the symbols of one run share one account and so one quote currency, but ${first!.symbol} is quoted in ` +
          `${first!.quote}, ${rest.map((i) => `${i.symbol} in ${i.quote}`).join(', ')}: ` +
          'backtest them in separate runs, or pick symbols with the same quote currency',
      );
    }
    const quoteCurrency = quotes.size === 1 ? [...quotes][0]! : this.settings.account.quoteCurrency;
    this.account = new Account({ ...this.settings.account, quoteCurrency }, instruments);
    this.tracker = new TradeTracker(instruments);
    this.exchange = new SimulatedExchange({
      instruments,
      execution: this.settings.execution,
      onEvent: (event, order) => this.orders.set(event.orderId, order),
    });
    this.risk = new RiskEngine(input.risk);
  }

  run(): BacktestResult {
    const kernel = createKernel(this.plan, { mode: this.input.kernelMode ?? 'fast' });
    const times = this.timeline();
    this.times = times;
    const bars = new Map<string, Bar>();
    const { fill } = this.settings.execution;
    const progressEvery = Math.max(1, Math.floor(times.length / 100));
    let stopped = false;
    // One symbol: its rows are the timeline, so the kernel can run ahead in batches (see OrderBatches).
    const only = this.symbols.length === 1 ? this.symbols[0]! : null;
    const batches =
      only === null ? null : new OrderBatches(kernel, only.symbol, only.series, only.cursor, times.length);

    const tradeFrom = this.settings.tradeFrom ?? Number.NEGATIVE_INFINITY;
    for (let i = 0; i < times.length; i++) {
      const time = times[i]!;
      this.time = time;
      if (batches === null) bars.clear();
      for (const s of this.symbols) {
        s.bar = null;
        if (s.cursor < s.series.time.length && s.series.time[s.cursor] === time) {
          s.bar = barAt(s.series, s.cursor++);
          if (batches === null) bars.set(s.symbol, s.bar);
        }
      }
      if (time < tradeFrom) {
        // Warm-up: the strategy sees the bar so its indicators are ready at tradeFrom; nothing it decides
        // now is acted on, and the equity curve (hence every metric) starts at tradeFrom.
        for (const s of this.symbols) if (s.bar !== null) this.marks.set(s.symbol, s.bar.close);
        if (batches === null) kernel.step(bars, i);
        else batches.at(i);
        continue;
      }
      // 1. Funding due at this bar's time is settled before its fills (Account.applyFunding's contract):
      // a position held into a funding time pays it, one opened at that very time does not.
      for (const s of this.symbols) if (s.bar !== null) this.marks.set(s.symbol, s.bar.open);
      this.applyFunding(time);
      // 2. The open: what was decided at the previous close executes now.
      for (const s of this.symbols) if (s.bar !== null) this.openBar(s, s.bar, i);
      // 3. The close: mark to market, breakers.
      for (const s of this.symbols) if (s.bar !== null) this.marks.set(s.symbol, s.bar.close);
      this.recordEquity(time, i);
      // 4. The strategy sees the closed bar and decides.
      this.phase = 'close';
      // Exits before entries: a bar that both closes a long and signals a short leaves the strategy short.
      const orders = batches === null ? kernel.step(bars, i) : batches.at(i);
      for (const order of orders) if (isExit(order.intent.action)) this.decide(order, i, fill);
      for (const order of orders) if (!isExit(order.intent.action)) this.decide(order, i, fill);
      for (const s of this.symbols) if (s.bar !== null) this.afterClose(s, s.bar, i);

      if (i % progressEvery === 0) {
        this.input.onProgress?.(i + 1, times.length);
        if (this.input.shouldStop?.()) {
          stopped = true;
          break;
        }
      }
    }
    // A stopped run already reported how far it got; it must not claim to be complete.
    if (!stopped) this.input.onProgress?.(times.length, times.length);
    if (this.settings.closeAtEnd !== false && !stopped) this.closeAllAtEnd(times.length - 1);
    return this.result(times, stopped);
  }

  /** Every bar time of every symbol, in order, within from/to. */
  private timeline(): ArrayLike<number> {
    const { from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY } = this.settings;
    const single = this.symbols.length === 1 ? singleTimeline(this.symbols[0]!, from, to) : null;
    if (single !== null) return single;
    const all = new Set<number>();
    for (const s of this.symbols) {
      const t = s.series.time;
      let start = 0;
      while (start < t.length && t[start]! < from) start++;
      s.cursor = start;
      for (let k = start; k < t.length && t[k]! < to; k++) all.add(t[k]!);
    }
    if (all.size === 0) {
      throw new Error('no bars to test: the data is empty or --from/--to select nothing');
    }
    if (this.symbols.length === 1) return [...all];
    return [...all].sort((a, b) => a - b);
  }

  private openBar(s: SymbolState, bar: Bar, barIndex: number): void {
    const pending = s.pending;
    this.phase = 'open';
    // Most bars have nothing pending: keep the empty array rather than make a new one a bar.
    if (pending.length > 0) {
      s.pending = [];
      for (const action of pending) if (isClosing(action)) this.execute(s, action, bar.open, bar, barIndex);
      for (const action of pending) if (!isClosing(action)) this.execute(s, action, bar.open, bar, barIndex);
    }
    this.phase = 'intrabar';
    const report = this.exchange.processBar(s.symbol, bar, barIndex, { barVolatility: s.volatility });
    this.book(s, report, barIndex);
    this.checkLiquidation(s, bar, barIndex);
  }

  private afterClose(s: SymbolState, bar: Bar, barIndex: number): void {
    s.volatility = bar.close > 0 ? (bar.high - bar.low) / bar.close : 0;
    const position = this.account.position(s.symbol).quantity;
    const p = s.protection;
    if (position === 0 || p === null) return;
    // Held bars are counted from the first full bar, so `bars: 3` closes after three bars in the position
    // (at the next open, or at this close in close-fill mode like every other market order).
    if (p.timeExitBars !== null && barIndex - p.firstHeldBar + 1 >= p.timeExitBars) {
      const close: PendingAction = { kind: 'close', purpose: 'time_exit', decidedAt: barIndex };
      if (this.settings.execution.fill === 'close') {
        this.execute(s, close, bar.close, bar, barIndex);
        return;
      }
      if (!s.pending.some((a) => a.kind === 'close')) s.pending.push(close);
    }
    if (p.trailing !== null && barIndex >= p.firstHeldBar) {
      const t = p.trailing;
      const long = position > 0;
      const extreme = long ? bar.high : bar.low;
      const distance = t.distance ?? (extreme * (t.percent ?? 0)) / 100;
      const candidate = roundToTick(
        long ? extreme - distance : extreme + distance,
        s.instrument.tickSize,
        long ? 'down' : 'up',
      );
      const better = long ? candidate > t.level : candidate < t.level;
      if (better && candidate > 0) {
        if (t.orderId !== null) this.exchange.cancel(t.orderId, 'trailing stop moved', bar.time);
        t.level = candidate;
        t.orderId = this.submitProtective(
          s,
          'trailing_stop',
          'stop',
          candidate,
          Math.abs(position),
          barIndex,
        );
      }
    }
  }

  /** Turns an order node's output into pending work (next open) or fills it now (close fill mode). */
  private decide(order: KernelOrder, barIndex: number, fill: 'next_open' | 'close'): void {
    const s = this.bySymbol.get(order.symbol);
    if (s === undefined || s.bar === null) {
      this.ignore(order, barIndex, `no ${order.symbol} bar at this time`);
      return;
    }
    const action: PendingAction = {
      kind: 'intent',
      nodeId: order.nodeId,
      intent: order.intent,
      decidedAt: barIndex,
    };
    if (order.intent.orderType !== 'market') {
      this.execute(s, action, s.bar.close, s.bar, barIndex);
      return;
    }
    if (order.intent.timing === 'this_bar_open') {
      // The compiler proved the signal reads nothing of this bar but its open.
      this.execute(s, action, s.bar.open, s.bar, barIndex);
    } else if (fill === 'close') {
      this.execute(s, action, s.bar.close, s.bar, barIndex);
    } else {
      s.pending.push(action);
    }
  }

  private execute(s: SymbolState, action: PendingAction, price: number, bar: Bar, barIndex: number): void {
    const position = this.account.position(s.symbol).quantity;
    if (action.kind === 'close') {
      if (position !== 0)
        this.marketOrder(
          s,
          position > 0 ? 'sell' : 'buy',
          Math.abs(position),
          action.purpose,
          true,
          price,
          bar,
          barIndex,
          'close',
        );
      return;
    }
    const { intent, nodeId, decidedAt } = action;
    const order: KernelOrder = { nodeId, symbol: s.symbol, intent };
    const long = intent.action === 'enter_long' || intent.action === 'exit_short';
    if (intent.action === 'exit_long' || intent.action === 'exit_short') {
      const holds = intent.action === 'exit_long' ? position > 0 : position < 0;
      if (holds)
        this.marketOrder(
          s,
          long ? 'buy' : 'sell',
          Math.abs(position),
          'exit',
          true,
          price,
          bar,
          barIndex,
          nodeId,
        );
      return;
    }
    const direction = intent.action === 'enter_long' ? 1 : -1;
    if (position * direction > 0) {
      this.ignore(
        order,
        decidedAt,
        `already ${direction > 0 ? 'long' : 'short'}: entries do not add to an open position`,
      );
      return;
    }
    if (position !== 0) {
      if (!this.settings.exclusive) {
        this.ignore(
          order,
          decidedAt,
          `a ${position > 0 ? 'long' : 'short'} position is open: connect an exit signal or run with --exclusive to flip`,
        );
        return;
      }
      this.marketOrder(
        s,
        position > 0 ? 'sell' : 'buy',
        Math.abs(position),
        'exit',
        true,
        price,
        bar,
        barIndex,
        nodeId,
      );
      if (this.account.position(s.symbol).quantity !== 0) return; // the close did not fill: do not stack an entry
    }
    this.enter(s, order, direction, price, bar, barIndex, decidedAt);
  }

  private enter(
    s: SymbolState,
    order: KernelOrder,
    direction: 1 | -1,
    price: number,
    bar: Bar,
    barIndex: number,
    decidedAt: number,
  ): void {
    const { intent } = order;
    const side: Side = direction > 0 ? 'buy' : 'sell';
    if (this.settings.account.market === 'spot' && direction < 0) {
      this.ignore(order, decidedAt, 'spot accounts cannot short: use --market perp to sell short');
      return;
    }
    const reference = intent.referencePrice ?? price;
    const orderPrice = intent.orderType === 'market' ? null : this.entryPrice(s, intent, reference, side);
    // A market order pays the spread and impact: size it at the price it will really fill at, so an
    // all-in entry is still affordable after slippage and the taker fee.
    const fillPrice =
      orderPrice ??
      slippedPrice(this.settings.execution.slippage, side, price, {
        quantity: 0,
        barVolume: bar.volume,
        barVolatility: s.volatility,
      });
    const feeRate =
      intent.orderType === 'limit' ? this.settings.execution.makerFee : this.settings.execution.takerFee;
    const equity = this.currentEquity(price, s.symbol);
    const buyingPower = this.account.buyingPower(s.symbol, fillPrice, feeRate) * fillPrice;
    // The strategy's riskPerTradePct sizes an entry that has a stop loss but no sizing of its own; the risk
    // engine leaves per-trade risk to sizing because an intent alone does not say where its stop is.
    const stop = intent.exits.find((e) => e.kind === 'stop_loss');
    const stopDistance =
      stop === undefined ? null : (stop.distance ?? (fillPrice * (stop.percent ?? 0)) / 100);
    const sized = resolveQuantity(effectiveSizing(intent.sizing, this.input.risk, stopDistance), {
      equity,
      price: fillPrice,
      instrument: s.instrument,
      buyingPower,
      closedTrades: this.tracker.closedTrades(),
      defaultPercent: this.settings.defaultSizePercent,
      allInUnits: this.settings.sizing === 'all_in_units',
    });
    if (sized.quantity <= 0) {
      this.ignore(order, decidedAt, `size is zero${sized.note ? `: ${sized.note}` : ''}`);
      return;
    }
    const decision = this.risk.check(
      {
        symbol: s.symbol,
        action: intent.action,
        quantity: sized.quantity,
        price: fillPrice,
        reducing: false,
        instrument: s.instrument,
      },
      {
        equity,
        positionNotional: (symbol) =>
          this.account.position(symbol).quantity * (this.marks.get(symbol) ?? fillPrice),
        totalExposure: this.account.totalExposure(this.marksWith(s.symbol, price)),
        barIndex,
        time: bar.time,
      },
    );
    if (decision.decision === 'deny' || decision.quantity <= 0) return; // recorded by the risk engine
    if (intent.orderType === 'market') {
      const id = this.marketOrder(
        s,
        side,
        decision.quantity,
        'entry',
        false,
        price,
        bar,
        barIndex,
        order.nodeId,
        intent.exits,
      );
      if (id === null) this.ignore(order, decidedAt, `the entry order was not placed: ${this.refusal}`);
      return;
    }
    const id = this.nextId(order.nodeId, barIndex);
    const expires = intent.expireAfterBars > 0 ? barIndex + intent.expireAfterBars : null;
    const submitted = this.exchange.submit(
      createOrder({
        id,
        symbol: s.symbol,
        side,
        type: intent.orderType as EngineOrderType,
        quantity: decision.quantity,
        price: orderPrice,
        purpose: 'entry',
        createdAt: bar.time,
        expiresAtBar: expires,
      }),
      bar.time,
      barIndex,
    );
    if (submitted.status === 'rejected') {
      this.ignore(
        order,
        decidedAt,
        `the ${intent.orderType} order was rejected: ${submitted.reason ?? 'no reason given'}`,
      );
    } else {
      s.entryExits.set(id, intent.exits);
    }
  }

  /** Limit entries rest below (buy) / above (sell) the reference; stop entries trigger beyond it. */
  private entryPrice(s: SymbolState, intent: OrderIntent, reference: number, side: Side): number {
    const offset = intent.offsetPercent / 100;
    const below = (intent.orderType === 'limit') === (side === 'buy');
    const raw = below ? reference * (1 - offset) : reference * (1 + offset);
    return roundToTick(raw, s.instrument.tickSize, below ? 'down' : 'up');
  }

  /** Submits a market order and fills it at `price` now (the open, or the close in close-fill mode). */
  private marketOrder(
    s: SymbolState,
    side: Side,
    quantity: number,
    purpose: OrderPurpose,
    reduceOnly: boolean,
    price: number,
    bar: Bar,
    barIndex: number,
    source: string,
    exits: readonly Exit[] = [],
  ): ClientOrderId | null {
    if (!reduceOnly) {
      quantity = this.affordable(s, side, quantity, price, bar);
      if (quantity <= 0) {
        this.refusal = `the account cannot pay for any of it at ${price} with slippage and fees`;
        return null;
      }
    }
    const id = this.nextId(source, barIndex);
    const submitted = this.exchange.submit(
      createOrder({
        id,
        symbol: s.symbol,
        side,
        type: 'market',
        quantity,
        purpose,
        reduceOnly,
        createdAt: bar.time,
      }),
      bar.time,
      barIndex,
    );
    if (submitted.status === 'rejected') {
      this.refusal = `the exchange rejected it: ${submitted.reason ?? 'no reason given'}`;
      return null;
    }
    if (exits.length > 0) s.entryExits.set(id, exits);
    const report = this.exchange.fillAtPrice(id, price, bar, barIndex, { barVolatility: s.volatility });
    this.book(s, report, barIndex);
    return id;
  }

  /**
   * The largest quantity up to `quantity` the account can pay for at the price this market order will
   * really fill at (impact grows with size, and the slipped price rounds against the taker), so an entry
   * sized from a quote is never refused at the fill.
   */
  private affordable(s: SymbolState, side: Side, quantity: number, price: number, bar: Bar): number {
    const { slippage, takerFee } = this.settings.execution;
    for (let attempt = 0; attempt < 8 && quantity > 0; attempt++) {
      const expected = slippedPrice(slippage, side, price, {
        quantity,
        barVolume: bar.volume,
        barVolatility: s.volatility,
      });
      const withTick = roundToTick(expected, s.instrument.tickSize, side === 'buy' ? 'up' : 'down');
      if (this.account.canFill(s.symbol, side, quantity, withTick, quantity * withTick * takerFee) === null)
        return quantity;
      const fits = this.account.buyingPower(s.symbol, withTick, takerFee);
      const next = roundQuantity(Math.min(fits, quantity * 0.999), s.instrument.stepSize);
      if (!(next < quantity)) break;
      quantity = next;
    }
    return 0;
  }

  /** Applies an exchange report's fills to the account, the trade list, protections and the risk engine. */
  private book(s: SymbolState, report: ExchangeReport, barIndex: number): void {
    for (const fill of report.fills) {
      const state = this.bySymbol.get(fill.symbol)!;
      const reason = this.account.canFill(fill.symbol, fill.side, fill.quantity, fill.price, fill.fee);
      if (reason !== null) {
        // A resting entry sized earlier can become unaffordable by the time it triggers; a real exchange
        // would reject it for insufficient balance, so it is not booked, and the report says so.
        this.unbooked.push(`bar ${fill.barIndex}: fill of ${fill.orderId} not booked: ${reason}`);
        continue;
      }
      this.account.applyFill(fill);
      this.fills.push(fill);
      const closed = this.tracker.onFill(fill);
      this.exchange.setPosition(fill.symbol, this.account.position(fill.symbol).quantity);
      for (const trade of closed) this.risk.onTradeClosed(trade.symbol, barIndex);
      const position = this.account.position(fill.symbol).quantity;
      if (position === 0) {
        this.clearProtection(state, fill.time);
      } else if (fill.purpose === 'entry') {
        const exits = state.entryExits.get(fill.orderId);
        if (exits !== undefined) {
          state.entryExits.delete(fill.orderId);
          this.protect(state, exits, barIndex);
        }
      }
    }
    void s;
  }

  /** Places the stop loss, take profit and trailing stop of a freshly opened position as one OCO group. */
  private protect(s: SymbolState, exits: readonly Exit[], barIndex: number): void {
    const position = this.account.position(s.symbol);
    const quantity = Math.abs(position.quantity);
    const long = position.quantity > 0;
    const entry = position.entryPrice;
    const distanceOf = (e: { percent?: number; distance?: number }) =>
      e.distance ?? (entry * (e.percent ?? 0)) / 100;
    const p: Protection = {
      exits,
      firstHeldBar: this.phase === 'open' ? barIndex : barIndex + 1,
      stopId: null,
      targetId: null,
      trailing: null,
      timeExitBars: null,
    };
    for (const exit of exits) {
      if (exit.kind === 'stop_loss') {
        const price = roundToTick(
          long ? entry - distanceOf(exit) : entry + distanceOf(exit),
          s.instrument.tickSize,
          long ? 'down' : 'up',
        );
        if (price > 0)
          p.stopId = this.submitProtective(s, 'stop_loss', 'stop', price, quantity, barIndex - 1);
      } else if (exit.kind === 'take_profit') {
        const price = roundToTick(
          long ? entry + distanceOf(exit) : entry - distanceOf(exit),
          s.instrument.tickSize,
          long ? 'up' : 'down',
        );
        if (price > 0)
          p.targetId = this.submitProtective(s, 'take_profit', 'limit', price, quantity, barIndex - 1);
      } else if (exit.kind === 'trailing_stop') {
        const level = roundToTick(
          long ? entry - distanceOf(exit) : entry + distanceOf(exit),
          s.instrument.tickSize,
          long ? 'down' : 'up',
        );
        const trailing = {
          percent: exit.percent,
          distance: exit.distance,
          level,
          orderId: null as ClientOrderId | null,
        };
        if (level > 0)
          trailing.orderId = this.submitProtective(s, 'trailing_stop', 'stop', level, quantity, barIndex - 1);
        p.trailing = trailing;
      } else {
        p.timeExitBars = exit.bars;
      }
    }
    s.protection = p;
  }

  /**
   * Protective orders placed when an entry fills at this bar's open are submitted as of the previous bar
   * (`decidedAt`), so the exchange checks them against the rest of this very bar: a stop hit on the entry
   * bar fills on the entry bar, the pessimistic reading of the candle.
   */
  private submitProtective(
    s: SymbolState,
    purpose: OrderPurpose,
    type: EngineOrderType,
    price: number,
    quantity: number,
    decidedAt: number,
  ): ClientOrderId | null {
    const id = this.nextId(
      purpose === 'stop_loss' ? 'sl' : purpose === 'take_profit' ? 'tp' : 'trail',
      Math.max(0, decidedAt),
    );
    const order = this.exchange.submit(
      createOrder({
        id,
        symbol: s.symbol,
        side: this.account.position(s.symbol).quantity > 0 ? 'sell' : 'buy',
        type,
        quantity,
        price,
        purpose,
        reduceOnly: true,
        ocoGroup: `${s.symbol}-protect`,
        createdAt: this.time,
      }),
      this.time,
      Math.max(0, decidedAt),
    );
    return order.status === 'rejected' ? null : id;
  }

  private clearProtection(s: SymbolState, time: number): void {
    for (const order of this.exchange.openOrders(s.symbol)) {
      if (order.reduceOnly) this.exchange.cancel(order.id, 'position closed', time);
    }
    s.protection = null;
    s.pending = s.pending.filter((a) => a.kind === 'intent');
  }

  private checkLiquidation(s: SymbolState, bar: Bar, barIndex: number): void {
    if (this.settings.account.market !== 'perp') return;
    const price = this.account.checkLiquidation(s.symbol, bar);
    if (price === null) return;
    const position = this.account.position(s.symbol).quantity;
    const quantity = Math.abs(position);
    const liquidation: Fill = {
      orderId: this.nextId('liq', barIndex),
      symbol: s.symbol,
      side: position > 0 ? 'sell' : 'buy',
      quantity,
      price,
      fee: quantity * price * this.settings.execution.takerFee,
      liquidity: 'taker',
      time: bar.time,
      barIndex,
      purpose: 'liquidation',
    };
    this.book(s, { fills: [liquidation], events: [] }, barIndex);
  }

  private applyFunding(time: number): void {
    if (this.settings.account.market !== 'perp') return;
    for (const charge of this.account.applyFunding(time, this.marks)) {
      this.tracker.addFunding(charge.symbol, charge.amount);
    }
  }

  private recordEquity(time: number, barIndex: number): void {
    const equity = this.account.equity(this.marks);
    if (this.equityCount === this.equityTimes.length) this.growEquity();
    this.equityTimes[this.equityCount] = time;
    this.equityValues[this.equityCount] = equity;
    this.equityCount++;
    if (this.account.openSymbols().length > 0) this.exposureBars++;
    const breaker = this.risk.onEquity(time, equity);
    if (breaker.tripped?.flatten) {
      for (const s of this.symbols) {
        for (const order of this.exchange.openOrders(s.symbol)) {
          if (!order.reduceOnly) this.exchange.cancel(order.id, `risk: ${breaker.tripped.reason}`, time);
        }
        s.pending = [];
        if (this.account.position(s.symbol).quantity !== 0) {
          s.pending.push({ kind: 'close', purpose: 'exit', decidedAt: barIndex });
        }
      }
    }
  }

  private closeAllAtEnd(lastIndex: number): void {
    for (const s of this.symbols) {
      const last = s.series.time.length - 1;
      const cursor = Math.min(last, Math.max(0, s.cursor - 1));
      const bar = barAt(s.series, cursor);
      const position = this.account.position(s.symbol).quantity;
      if (position === 0) continue;
      for (const order of this.exchange.openOrders(s.symbol))
        this.exchange.cancel(order.id, 'end of test', bar.time);
      const price = this.settings.closeAtEnd === 'last_open' ? bar.open : bar.close;
      this.marketOrder(
        s,
        position > 0 ? 'sell' : 'buy',
        Math.abs(position),
        'close_at_end',
        true,
        price,
        bar,
        lastIndex,
        'end',
      );
      this.marks.set(s.symbol, bar.close);
    }
    this.equityValues[this.equityCount - 1] = this.account.equity(this.marks);
  }

  private growEquity(): void {
    const size = Math.max(1024, this.times.length, this.equityTimes.length * 2);
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    times.set(this.equityTimes.subarray(0, this.equityCount));
    values.set(this.equityValues.subarray(0, this.equityCount));
    this.equityTimes = times;
    this.equityValues = values;
  }

  /** The equity columns cut to the points recorded (a view when nothing is spare, as on one-symbol runs). */
  private equityCurve(): { time: Float64Array; equity: Float64Array } {
    const count = this.equityCount;
    const cut = (column: Float64Array) => (column.length === count ? column : column.slice(0, count));
    return { time: cut(this.equityTimes), equity: cut(this.equityValues) };
  }

  private currentEquity(price: number, symbol: string): number {
    return this.account.equity(this.marksWith(symbol, price));
  }

  private marksWith(symbol: string, price: number): Map<string, number> {
    const marks = new Map(this.marks);
    marks.set(symbol, price);
    for (const open of this.account.openSymbols()) if (!marks.has(open)) marks.set(open, price);
    return marks;
  }

  private nextId(source: string, barIndex: number): ClientOrderId {
    const key = `${source}@${barIndex}`;
    const seq = this.seqByBar.get(key) ?? 0;
    this.seqByBar.set(key, seq + 1);
    return clientOrderId({ runId: this.runId, source, barIndex, seq });
  }

  /** Records a signal not acted on at the bar where it fired (it may be refused at the next open). */
  private ignore(order: KernelOrder, barIndex: number, reason: string): void {
    this.ignored.push({
      time: this.times[barIndex] ?? this.time,
      barIndex,
      nodeId: order.nodeId,
      symbol: order.symbol,
      action: order.intent.action,
      reason,
    });
  }

  private result(times: ArrayLike<number>, stopped: boolean): BacktestResult {
    const { execution, account } = this.settings;
    const first = this.symbols[0]!;
    const openTrades = this.tracker.openTrades().map((t) => {
      const mark = this.marks.get(t.symbol) ?? t.positionEntryPrice;
      return {
        symbol: t.symbol,
        direction: t.direction,
        quantity: Math.abs(t.position),
        entryTime: t.entryTime,
        entryPrice: t.entryPrice,
        unrealisedPnl: t.position * (mark - t.positionEntryPrice),
      };
    });
    const trades = this.tracker.closedTrades();
    const equityColumns = this.equityCurve();
    const metrics = computeMetrics({
      equity: equityColumns,
      trades,
      initialCash: account.initialCash,
      barMs: requireTimeframeMs(this.plan.baseTimeframe),
      feesPaid: this.account.feesPaid,
      fundingPaid: this.account.fundingPaid,
      exposureBars: this.exposureBars,
      annualisation: this.settings.annualisation,
    });
    const warnings = realismWarnings({
      makerFee: execution.makerFee,
      takerFee: execution.takerFee,
      slippageKind: execution.slippage.kind,
      fill: execution.fill,
      maxVolumeShare: execution.maxVolumeShare,
    });
    warnings.push(...this.unbooked);
    const capped = [...this.orders.values()].filter((o) => o.reason?.includes('volume cap')).length;
    if (capped > 0) {
      warnings.push(
        `${capped} market orders were only partly filled: at most ${execution.maxVolumeShare * 100}% of a bar's volume fills per order (volume share setting)`,
      );
    }
    if (this.ignored.length > 0)
      warnings.push(`${this.ignored.length} signals were not acted on (see ignoredSignals)`);
    const firstClose = first.series.close[0];
    const lastClose = first.series.close[Math.max(0, first.cursor - 1)];
    let points: EquityPoint[] | undefined;
    return {
      metrics,
      // A getter, so a run whose caller never reads the points never makes them.
      get equity() {
        points ??= equityPoints(equityColumns);
        return points;
      },
      equityColumns,
      trades,
      openTrades,
      orders: [...this.orders.values()],
      fills: this.fills,
      riskDecisions: this.risk.decisions(),
      riskStateChanges: this.risk.stateChanges(),
      ignoredSignals: this.ignored,
      warnings,
      buyAndHoldReturnPct:
        firstClose !== undefined && lastClose !== undefined && firstClose > 0
          ? (lastClose / firstClose - 1) * 100
          : null,
      settings: this.settings,
      provenance: {
        engineVersion: ENGINE_VERSION,
        nodes: uniqueNodeTypes(this.plan),
        dataHashes: Object.fromEntries(this.symbols.map((s) => [s.symbol, hashCandles(s.series)])),
        paramValues: this.plan.paramValues,
        seed: this.settings.seed,
      },
      bars: times.length,
      stopped,
    };
  }
}

function equityPoints({ time, equity }: BacktestResult['equityColumns']): EquityPoint[] {
  const points: EquityPoint[] = new Array(time.length);
  for (let i = 0; i < time.length; i++) points[i] = { time: time[i]!, equity: equity[i]! };
  return points;
}

/**
 * One symbol's timeline is its own rows within from/to: a view of its time column instead of a set and an
 * array of a million numbers. Null (the general path) unless the times strictly increase, as CandleSeries
 * promises, so the result is exactly what the general path would build.
 */
function singleTimeline(s: SymbolState, from: number, to: number): Float64Array | null {
  const t = s.series.time;
  let start = 0;
  while (start < t.length && t[start]! < from) start++;
  let end = start;
  while (end < t.length && t[end]! < to) {
    if (end > start && !(t[end]! > t[end - 1]!)) return null;
    end++;
  }
  if (end === start) return null; // the general path says why there is nothing to test
  s.cursor = start;
  return t instanceof Float64Array ? t.subarray(start, end) : Float64Array.from(t).subarray(start, end);
}

/** No orders on this step (shared, never written). */
const NO_ORDERS: readonly KernelOrder[] = Object.freeze([]);

/** Bars the kernel runs ahead of the simulation at a time. */
const ORDER_BATCH = 8192;

/**
 * The strategy's orders for a one-symbol run, computed ahead with Kernel.run a batch of bars at a time: the
 * kernel reads only market data, never the account, so running it ahead changes nothing but the speed (no
 * Map or Bar per step, and the kernel's fused loop). Only steps with orders are kept, as copies.
 */
class OrderBatches {
  private readonly series: ReadonlyMap<string, CandleSeries>;
  private readonly steps: number[] = [];
  private readonly orders: KernelOrder[][] = [];
  private next = 0;
  private end = 0;

  constructor(
    private readonly kernel: ReturnType<typeof createKernel>,
    symbol: string,
    series: CandleSeries,
    /** The row of bar index 0. */
    private readonly firstRow: number,
    private readonly total: number,
  ) {
    this.series = new Map([[symbol, series]]);
  }

  /** The orders of step i; steps must be asked for in order. */
  at(i: number): readonly KernelOrder[] {
    if (i >= this.end) this.fill(i);
    if (this.next < this.steps.length && this.steps[this.next] === i) return this.orders[this.next++]!;
    return NO_ORDERS;
  }

  private fill(from: number): void {
    this.steps.length = 0;
    this.orders.length = 0;
    this.next = 0;
    const to = Math.min(this.total, from + ORDER_BATCH);
    this.kernel.run(
      { series: this.series, from: this.firstRow + from, to: this.firstRow + to, barIndex: from },
      (step, orders) => {
        this.steps.push(step);
        // The kernel reuses its records; the intents themselves are fresh objects per order.
        this.orders.push(orders.map((o) => ({ nodeId: o.nodeId, symbol: o.symbol, intent: o.intent })));
      },
    );
    this.end = to;
  }
}

function barAt(series: CandleSeries, i: number): Bar {
  return {
    time: series.time[i]!,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
  };
}

function uniqueNodeTypes(plan: Plan): { type: string; version: number }[] {
  const seen = new Map<string, { type: string; version: number }>();
  for (const node of plan.nodes) {
    const { type, version } = node.definition;
    seen.set(`${type}@${version}`, { type, version });
  }
  return [...seen.values()].sort((a, b) => a.type.localeCompare(b.type) || a.version - b.version);
}

function isExit(action: string): boolean {
  return action === 'exit_long' || action === 'exit_short';
}

function isClosing(action: PendingAction): boolean {
  return action.kind === 'close' || isExit(action.intent.action);
}
