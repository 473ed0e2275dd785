// The trading account of one run: cash, spot holdings or perpetual-futures positions with isolated
// margin, fees, funding and liquidation. Backtest, paper and live all book their fills here.

import type { AccountSettings, Fill, Instrument, Side, Symbol as SymbolId } from '../types';
import { fundingEventsBetween, validateFundingModel } from './funding';
import { flatTolerance, netFill } from './netting';

export interface PositionView {
  /** Signed quantity: > 0 long, < 0 short (spot: never negative). */
  readonly quantity: number;
  /** Average entry price of the open quantity, excluding fees; 0 when flat. */
  readonly entryPrice: number;
  /** Isolated margin held for the position (perp: |quantity| × entryPrice / leverage; spot: 0). */
  readonly margin: number;
  /** Price profit of the open quantity if it were closed at `mark`, before fees. */
  unrealisedPnl(mark: number): number;
}

/** One funding payment booked by applyFunding; amount > 0 was paid, < 0 received. */
export interface FundingCharge {
  readonly symbol: SymbolId;
  readonly time: number;
  readonly rate: number;
  readonly markPrice: number;
  readonly amount: number;
}

/** Plain JSON state of an Account, for resuming a run or restarting a live deployment. */
export interface AccountSnapshot {
  readonly version: 1;
  readonly market: AccountSettings['market'];
  readonly cash: number;
  readonly feesPaid: number;
  readonly fundingPaid: number;
  readonly fundingCursor: number | null;
  readonly positions: readonly {
    readonly symbol: string;
    readonly quantity: number;
    readonly entryPrice: number;
  }[];
  readonly fundingBySymbol: readonly { readonly symbol: string; readonly amount: number }[];
}

interface Holding {
  quantity: number;
  entryPrice: number;
}

/** Bar extremes needed to decide a liquidation. */
export interface BarRange {
  readonly high: number;
  readonly low: number;
}

export class Account {
  readonly settings: AccountSettings;
  private readonly instruments: ReadonlyMap<string, Instrument>;
  private readonly holdings = new Map<string, Holding>();
  private readonly fundingBySymbol = new Map<string, number>();
  private cashBalance: number;
  private fees = 0;
  private funding = 0;
  /** Funding times up to and including this one have been settled. */
  private fundingCursor: number | null = null;
  /** Cash tolerance for float error: a billionth of the starting capital. */
  private readonly cashTolerance: number;

  constructor(settings: AccountSettings, instruments: ReadonlyMap<string, Instrument>) {
    validateSettings(settings);
    for (const instrument of instruments.values()) {
      if (instrument.quote !== settings.quoteCurrency) {
        throw new Error(
          `${instrument.symbol} is quoted in ${instrument.quote} but the account is in ${settings.quoteCurrency}: ` +
            'a run trades symbols of one quote currency',
        );
      }
    }
    this.settings = settings;
    this.instruments = instruments;
    this.cashBalance = settings.initialCash;
    this.cashTolerance = 1e-9 * Math.max(1, Math.abs(settings.initialCash));
  }

  /**
   * Spot: the quote balance. Perp: the wallet balance (initial cash + realised PnL − fees − funding),
   * which includes the margin held for open positions; see freeCash for what is available.
   */
  get cash(): number {
    return this.cashBalance;
  }

  /** Cash not held as margin: what a new entry can spend. */
  get freeCash(): number {
    return this.cashBalance - this.reservedMargin;
  }

  /** Sum of the isolated margins of open positions (0 on spot). */
  get reservedMargin(): number {
    if (this.settings.market === 'spot') return 0;
    let total = 0;
    for (const holding of this.holdings.values()) total += this.marginOf(holding);
    return total;
  }

  get feesPaid(): number {
    return this.fees;
  }

  /** Net funding paid over the run (negative when more was received than paid). */
  get fundingPaid(): number {
    return this.funding;
  }

  /** Net funding paid for one symbol over the run. */
  fundingPaidFor(symbol: string): number {
    return this.fundingBySymbol.get(symbol) ?? 0;
  }

  /** Symbols with a non-flat position, in the order they were opened. */
  openSymbols(): SymbolId[] {
    return [...this.holdings.keys()];
  }

  position(symbol: string): PositionView {
    this.instrument(symbol);
    const holding = this.holdings.get(symbol);
    const quantity = holding?.quantity ?? 0;
    const entryPrice = holding?.entryPrice ?? 0;
    return {
      quantity,
      entryPrice,
      margin: holding === undefined ? 0 : this.marginOf(holding),
      unrealisedPnl: (mark: number) => (quantity === 0 ? 0 : quantity * (mark - entryPrice)),
    };
  }

  /** Cash plus the value of open positions marked at `markPrices` (typically each symbol's close). */
  equity(markPrices: ReadonlyMap<string, number>): number {
    let equity = this.cashBalance;
    for (const [symbol, holding] of this.holdings) {
      const mark = requireMark(markPrices, symbol, 'equity');
      equity +=
        this.settings.market === 'spot'
          ? holding.quantity * mark
          : holding.quantity * (mark - holding.entryPrice);
    }
    if (this.settings.market === 'spot' && equity < -this.cashTolerance) {
      throw new Error(
        `spot account equity is negative (${equity}): a spot account cannot lose more than it holds, ` +
          'so a fill or a mark price is wrong; check the prices passed to equity()',
      );
    }
    return equity;
  }

  /** Sum of |quantity| × mark over open positions, in the quote currency. */
  totalExposure(markPrices: ReadonlyMap<string, number>): number {
    let exposure = 0;
    for (const [symbol, holding] of this.holdings) {
      exposure += Math.abs(holding.quantity) * requireMark(markPrices, symbol, 'totalExposure');
    }
    return exposure;
  }

  /**
   * The largest quantity a new entry at `price` can afford now, paying `feeRate` (the taker fee as a
   * fraction of notional; required so a sizing call can never forget the fee). Not rounded: the caller
   * applies the step size.
   */
  buyingPower(symbol: string, price: number, feeRate: number): number {
    this.instrument(symbol);
    requirePositive(price, 'price', `buyingPower(${symbol})`);
    if (!(feeRate >= 0) || !Number.isFinite(feeRate)) {
      throw new Error(
        `buyingPower(${symbol}): feeRate must be a fraction >= 0 (0.0005 = 5 bps), got ${feeRate}`,
      );
    }
    const free = Math.max(0, this.freeCash);
    if (this.settings.market === 'spot') return free / (price * (1 + feeRate));
    return free / (price * (1 / this.settings.leverage + feeRate));
  }

  /**
   * Why a fill of `quantity` at `price` paying `fee` (quote) cannot be booked, or null if it can.
   * Reducing a position is always allowed; adding needs the cash (spot) or free margin (perp).
   */
  canFill(symbol: string, side: Side, quantity: number, price: number, fee = 0): string | null {
    const instrument = this.instruments.get(symbol);
    if (instrument === undefined) return `${symbol} is not an instrument of this run`;
    if (!(quantity > 0) || !Number.isFinite(quantity))
      return `quantity must be a positive number, got ${quantity}`;
    if (!(price > 0) || !Number.isFinite(price)) return `price must be a positive number, got ${price}`;
    if (!(fee >= 0) || !Number.isFinite(fee)) return `fee must be a non-negative number, got ${fee}`;

    const holding = this.holdings.get(symbol);
    const tolerance = flatTolerance(instrument);
    const next = netFill(holding?.quantity ?? 0, holding?.entryPrice ?? 0, side, quantity, price, tolerance);

    if (this.settings.market === 'spot') {
      if (next.quantity < 0) {
        return (
          `spot accounts cannot sell more than they hold: no shorting ` +
          `(holding ${holding?.quantity ?? 0} ${instrument.base}, selling ${quantity})`
        );
      }
      const cashAfter = this.cashBalance + (side === 'buy' ? -quantity * price : quantity * price) - fee;
      if (cashAfter < -this.cashTolerance) {
        return `insufficient cash: the fill costs ${quantity * price + fee} ${instrument.quote} but the account holds ${this.cashBalance}`;
      }
      return null;
    }

    if (next.openedQuantity === 0) return null;
    const otherMargin = this.reservedMargin - (holding === undefined ? 0 : this.marginOf(holding));
    const newMargin = (Math.abs(next.quantity) * next.entryPrice) / this.settings.leverage;
    const freeAfter = this.cashBalance + next.realisedPnl - fee - otherMargin - newMargin;
    if (freeAfter < -this.cashTolerance) {
      return (
        `insufficient margin: the position needs ${newMargin} ${instrument.quote} of margin at ` +
        `${this.settings.leverage}x plus a fee of ${fee}, but only ${this.freeCash} is free`
      );
    }
    return null;
  }

  /**
   * Books a fill: cash, position, average entry, fees. A fill that crosses zero closes the position and
   * opens the opposite side with the rest. Returns the gross price profit it realised (before the fee).
   */
  applyFill(fill: Fill): { realisedPnl: number } {
    const reason = this.canFill(fill.symbol, fill.side, fill.quantity, fill.price, fill.fee);
    if (reason !== null) {
      throw new Error(
        `cannot book fill of order ${fill.orderId} (${fill.side} ${fill.quantity} ${fill.symbol} @ ${fill.price}, ` +
          `bar ${fill.barIndex}): ${reason}`,
      );
    }
    const instrument = this.instrument(fill.symbol);
    const holding = this.holdings.get(fill.symbol);
    const next = netFill(
      holding?.quantity ?? 0,
      holding?.entryPrice ?? 0,
      fill.side,
      fill.quantity,
      fill.price,
      flatTolerance(instrument),
    );

    if (this.settings.market === 'spot') {
      const notional = fill.quantity * fill.price;
      this.cashBalance += (fill.side === 'buy' ? -notional : notional) - fill.fee;
    } else {
      this.cashBalance += next.realisedPnl - fill.fee;
    }
    this.fees += fill.fee;
    if (next.quantity === 0) this.holdings.delete(fill.symbol);
    else this.holdings.set(fill.symbol, { quantity: next.quantity, entryPrice: next.entryPrice });
    // Funding is settled from the first fill on; earlier funding times cannot concern this account.
    if (this.fundingCursor === null) this.fundingCursor = fill.time;

    if (this.settings.market === 'spot' && this.cashBalance < -this.cashTolerance) {
      throw new Error(
        `spot account cash went negative (${this.cashBalance}) after fill of order ${fill.orderId}: ` +
          'this should be impossible; report it with the fill',
      );
    }
    return { realisedPnl: next.realisedPnl };
  }

  /**
   * Isolated-margin liquidation price: where margin + unrealised PnL = maintenance rate × notional at
   * that price. Long: E·(1 − 1/L)/(1 − mmr); short: E·(1 + 1/L)/(1 + mmr). Null when flat, on spot, or
   * when a long cannot be liquidated (1× leverage).
   */
  liquidationPrice(symbol: string): number | null {
    this.instrument(symbol);
    if (this.settings.market === 'spot') return null;
    const holding = this.holdings.get(symbol);
    if (holding === undefined) return null;
    const size = Math.abs(holding.quantity);
    const marginPerUnit = this.marginOf(holding) / size;
    const mmr = this.settings.maintenanceMarginRate;
    if (holding.quantity > 0) {
      const price = (holding.entryPrice - marginPerUnit) / (1 - mmr);
      return price > 0 ? price : null;
    }
    return (holding.entryPrice + marginPerUnit) / (1 + mmr);
  }

  /**
   * The liquidation price if this bar's adverse extreme (low for a long, high for a short) reached it,
   * else null. The caller books the liquidation as a fill with purpose 'liquidation'.
   */
  checkLiquidation(symbol: string, bar: BarRange): number | null {
    const price = this.liquidationPrice(symbol);
    if (price === null) return null;
    const quantity = this.holdings.get(symbol)?.quantity ?? 0;
    if (quantity > 0) return bar.low <= price ? price : null;
    return bar.high >= price ? price : null;
  }

  /**
   * Settles every funding time after the previous call up to and including `time`: each open position
   * pays quantity × mark × rate (longs pay positive rates, shorts receive them). Call it at each bar's
   * time before booking that bar's fills, so a position held into a funding time pays it.
   */
  applyFunding(time: number, markPrices: ReadonlyMap<string, number>): FundingCharge[] {
    if (this.settings.market === 'spot' || this.settings.funding.kind === 'none') return [];
    if (this.fundingCursor === null) {
      // Nothing has been traded yet, so nothing can owe funding before this moment.
      this.fundingCursor = time;
      return [];
    }
    if (time < this.fundingCursor) {
      throw new Error(
        `applyFunding(${time}) is earlier than the last settled time ${this.fundingCursor}: ` +
          'call it with non-decreasing bar times',
      );
    }
    const events = fundingEventsBetween(this.settings.funding, this.fundingCursor, time);
    this.fundingCursor = time;
    const charges: FundingCharge[] = [];
    if (events.length === 0 || this.holdings.size === 0) return charges;
    for (const [symbol, holding] of this.holdings) {
      const markPrice = requireMark(markPrices, symbol, 'applyFunding');
      for (const event of events) {
        const amount = holding.quantity * markPrice * event.rate;
        this.cashBalance -= amount;
        this.funding += amount;
        this.fundingBySymbol.set(symbol, (this.fundingBySymbol.get(symbol) ?? 0) + amount);
        charges.push({ symbol, time: event.time, rate: event.rate, markPrice, amount });
      }
    }
    return charges;
  }

  snapshot(): AccountSnapshot {
    return {
      version: 1,
      market: this.settings.market,
      cash: this.cashBalance,
      feesPaid: this.fees,
      fundingPaid: this.funding,
      fundingCursor: this.fundingCursor,
      positions: [...this.holdings].map(([symbol, h]) => ({
        symbol,
        quantity: h.quantity,
        entryPrice: h.entryPrice,
      })),
      fundingBySymbol: [...this.fundingBySymbol].map(([symbol, amount]) => ({ symbol, amount })),
    };
  }

  /** Replaces this account's state with a snapshot taken from an account with the same settings. */
  restore(snapshot: AccountSnapshot): void {
    if (snapshot.version !== 1) {
      throw new Error(`account snapshot version ${snapshot.version} is not supported (expected 1)`);
    }
    if (snapshot.market !== this.settings.market) {
      throw new Error(
        `account snapshot is of a ${snapshot.market} account but this account is ${this.settings.market}: ` +
          'restore it into an account built with the same settings',
      );
    }
    for (const [name, value] of [
      ['cash', snapshot.cash],
      ['feesPaid', snapshot.feesPaid],
      ['fundingPaid', snapshot.fundingPaid],
    ] as const) {
      if (!Number.isFinite(value))
        throw new Error(`account snapshot field ${name} is not a finite number: ${value}`);
    }
    for (const p of snapshot.positions) {
      this.instrument(p.symbol);
      if (!Number.isFinite(p.quantity) || p.quantity === 0 || !(p.entryPrice > 0)) {
        throw new Error(
          `account snapshot position ${p.symbol} is invalid (quantity ${p.quantity} @ ${p.entryPrice})`,
        );
      }
    }
    this.cashBalance = snapshot.cash;
    this.fees = snapshot.feesPaid;
    this.funding = snapshot.fundingPaid;
    this.fundingCursor = snapshot.fundingCursor;
    this.holdings.clear();
    for (const p of snapshot.positions)
      this.holdings.set(p.symbol, { quantity: p.quantity, entryPrice: p.entryPrice });
    this.fundingBySymbol.clear();
    for (const f of snapshot.fundingBySymbol) this.fundingBySymbol.set(f.symbol, f.amount);
  }

  private marginOf(holding: Holding): number {
    return this.settings.market === 'spot'
      ? 0
      : (Math.abs(holding.quantity) * holding.entryPrice) / this.settings.leverage;
  }

  private instrument(symbol: string): Instrument {
    const instrument = this.instruments.get(symbol);
    if (instrument === undefined) {
      throw new Error(
        `${symbol} is not an instrument of this run (known: ${[...this.instruments.keys()].join(', ') || 'none'}): ` +
          'add it to the run symbols',
      );
    }
    return instrument;
  }
}

function validateSettings(settings: AccountSettings): void {
  if (!(settings.initialCash > 0) || !Number.isFinite(settings.initialCash)) {
    throw new Error(`initialCash must be a positive number, got ${settings.initialCash}`);
  }
  if (settings.market === 'perp') {
    const { leverage, maintenanceMarginRate: mmr } = settings;
    if (!(leverage >= 1) || !Number.isFinite(leverage)) {
      throw new Error(`leverage must be a number >= 1 for perpetual futures, got ${leverage}`);
    }
    if (!(mmr >= 0 && mmr < 1)) {
      throw new Error(`maintenanceMarginRate must be in [0, 1), got ${mmr} (0.005 = 0.5%)`);
    }
    if (mmr >= 1 / leverage) {
      throw new Error(
        `maintenanceMarginRate ${mmr} is not below 1/leverage (${1 / leverage}): every position would be ` +
          'liquidated at its entry price; lower the leverage',
      );
    }
    validateFundingModel(settings.funding);
  }
}

function requireMark(markPrices: ReadonlyMap<string, number>, symbol: string, where: string): number {
  const mark = markPrices.get(symbol);
  if (mark === undefined || !Number.isFinite(mark) || mark < 0) {
    throw new Error(
      `${where}: no valid mark price for open position ${symbol} (got ${mark}); pass one for every open symbol`,
    );
  }
  return mark;
}

function requirePositive(value: number, name: string, where: string): void {
  if (!(value > 0) || !Number.isFinite(value))
    throw new Error(`${where}: ${name} must be a positive number, got ${value}`);
}
