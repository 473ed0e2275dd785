// Turns the stream of fills into round-trip trades: a trade opens when a symbol's position leaves flat
// and closes when it returns to flat; scale-ins and partial exits belong to the same trade.

import type { Fill, Instrument, OrderPurpose, Symbol as SymbolId, Trade } from '../types';
import { flatTolerance, netFill } from './netting';

/** A trade still open: what it has done so far. */
export interface OpenTrade {
  readonly symbol: SymbolId;
  readonly direction: 'long' | 'short';
  /** Signed position now. */
  readonly position: number;
  /** Average entry price of the position now (average cost), excluding fees. */
  readonly positionEntryPrice: number;
  /** Largest absolute position so far. */
  readonly quantity: number;
  readonly entryTime: number;
  readonly entryBar: number;
  /** Volume-weighted average of the opening fills so far. */
  readonly entryPrice: number;
  /** Gross price profit of the partial exits so far, before fees and funding. */
  readonly realisedPnl: number;
  readonly fees: number;
  readonly funding: number;
}

/** Book of one open trade, as kept in snapshots. */
export interface TradeState {
  symbol: SymbolId;
  direction: 1 | -1;
  position: number;
  positionEntryPrice: number;
  maxQuantity: number;
  entryTime: number;
  entryBar: number;
  openedQuantity: number;
  openedNotional: number;
  closedQuantity: number;
  closedNotional: number;
  realisedPnl: number;
  fees: number;
  funding: number;
}

export interface TradeTrackerSnapshot {
  readonly version: 1;
  readonly open: readonly TradeState[];
  readonly closed: readonly Trade[];
}

export class TradeTracker {
  private readonly instruments: ReadonlyMap<string, Instrument>;
  private readonly open = new Map<string, TradeState>();
  private closed: Trade[] = [];

  constructor(instruments: ReadonlyMap<string, Instrument>) {
    this.instruments = instruments;
  }

  /** Books a fill; returns the trades it closed (none, or one — a flip closes one and opens the next). */
  onFill(fill: Fill): Trade[] {
    const instrument = this.instruments.get(fill.symbol);
    if (instrument === undefined) {
      throw new Error(`TradeTracker: fill for ${fill.symbol}, which is not an instrument of this run`);
    }
    const state = this.open.get(fill.symbol);
    const next = netFill(
      state?.position ?? 0,
      state?.positionEntryPrice ?? 0,
      fill.side,
      fill.quantity,
      fill.price,
      flatTolerance(instrument),
    );
    // When one fill closes and opens, the fee is split by quantity between the two trades.
    const closingFee = (fill.fee * next.closedQuantity) / fill.quantity;
    const openingFee = fill.fee - closingFee;
    const closedNow: Trade[] = [];

    if (state !== undefined && next.closedQuantity > 0) {
      state.closedQuantity += next.closedQuantity;
      state.closedNotional += next.closedQuantity * fill.price;
      state.realisedPnl += next.realisedPnl;
      state.fees += closingFee;
      if (next.quantity === 0 || next.flipped) {
        const trade = finish(state, fill.time, fill.barIndex, fill.purpose);
        this.closed.push(trade);
        closedNow.push(trade);
        this.open.delete(fill.symbol);
      } else {
        state.position = next.quantity;
      }
    }

    if (next.openedQuantity > 0) {
      const current = this.open.get(fill.symbol);
      if (current === undefined) {
        this.open.set(fill.symbol, {
          symbol: fill.symbol,
          direction: next.quantity > 0 ? 1 : -1,
          position: next.quantity,
          positionEntryPrice: next.entryPrice,
          maxQuantity: Math.abs(next.quantity),
          entryTime: fill.time,
          entryBar: fill.barIndex,
          openedQuantity: next.openedQuantity,
          openedNotional: next.openedQuantity * fill.price,
          closedQuantity: 0,
          closedNotional: 0,
          realisedPnl: 0,
          fees: openingFee,
          funding: 0,
        });
      } else {
        current.position = next.quantity;
        current.positionEntryPrice = next.entryPrice;
        current.maxQuantity = Math.max(current.maxQuantity, Math.abs(next.quantity));
        current.openedQuantity += next.openedQuantity;
        current.openedNotional += next.openedQuantity * fill.price;
        current.fees += openingFee;
      }
    }
    return closedNow;
  }

  /** Adds funding paid (> 0) or received (< 0) to the open trade of `symbol`. */
  addFunding(symbol: string, amount: number): void {
    if (amount === 0) return;
    const state = this.open.get(symbol);
    if (state === undefined) {
      throw new Error(
        `TradeTracker: funding of ${amount} for ${symbol}, which has no open trade: ` +
          'the account and the tracker disagree; feed both the same fills',
      );
    }
    state.funding += amount;
  }

  openTrades(): OpenTrade[] {
    return [...this.open.values()].map((s) => ({
      symbol: s.symbol,
      direction: s.direction === 1 ? 'long' : 'short',
      position: s.position,
      positionEntryPrice: s.positionEntryPrice,
      quantity: s.maxQuantity,
      entryTime: s.entryTime,
      entryBar: s.entryBar,
      entryPrice: s.openedNotional / s.openedQuantity,
      realisedPnl: s.realisedPnl,
      fees: s.fees,
      funding: s.funding,
    }));
  }

  /**
   * Net profit of the open trade of `symbol` if its position were closed at `mark` with no further fee:
   * partial exits so far + the open quantity marked − fees − funding. 0 when there is no open trade.
   */
  openPnl(symbol: string, mark: number): number {
    const s = this.open.get(symbol);
    if (s === undefined) return 0;
    return s.realisedPnl + s.position * (mark - s.positionEntryPrice) - s.fees - s.funding;
  }

  closedTrades(): readonly Trade[] {
    return this.closed;
  }

  /** Trades closed after the first `count` (closedTrades().slice(count)): what is new since a previous look. */
  closedSince(count: number): readonly Trade[] {
    return this.closed.slice(count);
  }

  /** The last `window` closed trades, oldest first (fewer while the run is young). */
  lastTrades(window: number): readonly Trade[] {
    if (window <= 0) return [];
    return this.closed.slice(-window);
  }

  snapshot(): TradeTrackerSnapshot {
    return { version: 1, open: [...this.open.values()].map((s) => ({ ...s })), closed: [...this.closed] };
  }

  restore(snapshot: TradeTrackerSnapshot): void {
    if (snapshot.version !== 1) {
      throw new Error(`trade tracker snapshot version ${snapshot.version} is not supported (expected 1)`);
    }
    this.open.clear();
    for (const s of snapshot.open) this.open.set(s.symbol, { ...s });
    this.closed = [...snapshot.closed];
  }
}

function finish(state: TradeState, exitTime: number, exitBar: number, exitReason: OrderPurpose): Trade {
  const entryPrice = state.openedNotional / state.openedQuantity;
  const pnl = state.realisedPnl - state.fees - state.funding;
  const entryNotional = entryPrice * state.maxQuantity;
  return {
    symbol: state.symbol,
    direction: state.direction === 1 ? 'long' : 'short',
    quantity: state.maxQuantity,
    entryTime: state.entryTime,
    exitTime,
    entryBar: state.entryBar,
    exitBar,
    entryPrice,
    exitPrice: state.closedNotional / state.closedQuantity,
    pnl,
    returnPct: entryNotional > 0 ? (pnl / entryNotional) * 100 : 0,
    fees: state.fees,
    funding: state.funding,
    exitReason,
  };
}
