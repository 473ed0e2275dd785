// Shapes shared by every part of the execution core: instruments, orders and their events, fills,
// run settings. Backtest, paper and live use these same types.

/** Identifiers have their own types so a symbol is never passed where an order id belongs. */
export type Symbol = string & { readonly __brand?: 'Symbol' };
export type ClientOrderId = string & { readonly __brand?: 'ClientOrderId' };

export type Side = 'buy' | 'sell';
export type MarketType = 'spot' | 'perp';

/** Exchange rules for one symbol. Prices are rounded to tickSize, quantities to stepSize. */
export interface Instrument {
  readonly symbol: Symbol;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly stepSize: number;
  readonly minQty: number;
  readonly minNotional: number;
}

export type OrderStatus =
  | 'pending'
  | 'submitted'
  | 'accepted'
  | 'partially_filled'
  | 'filled'
  | 'rejected'
  | 'canceled'
  | 'expired'
  | 'denied';

export type EngineOrderType = 'market' | 'limit' | 'stop';

/** Why an order exists: entries open or add, the others reduce a position. */
export type OrderPurpose =
  | 'entry'
  | 'exit'
  | 'stop_loss'
  | 'take_profit'
  | 'trailing_stop'
  | 'time_exit'
  | 'liquidation'
  | 'close_at_end';

export interface Order {
  readonly id: ClientOrderId;
  readonly symbol: Symbol;
  readonly side: Side;
  readonly type: EngineOrderType;
  readonly quantity: number;
  /** Limit price (limit orders) or trigger price (stop orders). */
  readonly price: number | null;
  readonly reduceOnly: boolean;
  readonly purpose: OrderPurpose;
  /** Orders in one OCO group cancel each other when one fills (stop loss + take profit). */
  readonly ocoGroup: string | null;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly averagePrice: number;
  readonly createdAt: number;
  /** Bar index after which a working order expires; null = good till cancelled. */
  readonly expiresAtBar: number | null;
  /** Set when the order ends in rejected, canceled, expired or denied. */
  readonly reason: string | null;
}

/** Events are past tense; they are the only way an order changes state (see order-state.ts). */
export type OrderEvent =
  | { readonly type: 'OrderSubmitted'; readonly time: number }
  | { readonly type: 'OrderAccepted'; readonly time: number }
  | { readonly type: 'OrderRejected'; readonly time: number; readonly reason: string }
  | { readonly type: 'OrderDenied'; readonly time: number; readonly reason: string }
  | { readonly type: 'OrderFilled'; readonly time: number; readonly quantity: number; readonly price: number }
  | { readonly type: 'OrderCanceled'; readonly time: number; readonly reason: string }
  | { readonly type: 'OrderExpired'; readonly time: number };

export interface Fill {
  readonly orderId: ClientOrderId;
  readonly symbol: Symbol;
  readonly side: Side;
  readonly quantity: number;
  /** Price after slippage, rounded to the tick size. */
  readonly price: number;
  /** Fee paid, in the quote currency (always >= 0). */
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly time: number;
  readonly barIndex: number;
  readonly purpose: OrderPurpose;
}

export type SlippageModel =
  | { readonly kind: 'none' }
  /** A fixed number of price units against the taker. */
  | { readonly kind: 'fixed'; readonly amount: number }
  /** A fraction of the price against the taker (0.0005 = 5 bps). */
  | { readonly kind: 'proportional'; readonly rate: number }
  /** Square-root market impact: coefficient × bar volatility × sqrt(order qty / bar volume). */
  | { readonly kind: 'sqrt_impact'; readonly coefficient: number };

export type FundingModel =
  | { readonly kind: 'none' }
  /** Rate per funding interval (0.0001 = 0.01%), paid by longs to shorts when positive. */
  | { readonly kind: 'fixed'; readonly rate: number; readonly intervalHours: number }
  | { readonly kind: 'series'; readonly points: readonly { readonly time: number; readonly rate: number }[] };

export interface ExecutionSettings {
  /** Where market orders fill: the next bar's open (default, no look-ahead) or this bar's close. */
  readonly fill: 'next_open' | 'close';
  /** Fees as fractions of notional (0.001 = 0.1%). */
  readonly makerFee: number;
  readonly takerFee: number;
  readonly slippage: SlippageModel;
  /** At most this share of a bar's volume fills per order per bar (1 = no cap). */
  readonly maxVolumeShare: number;
  /** What happens to the unfilled rest of a market order capped by volume: cancel (default) or keep working. */
  readonly marketRemainder: 'cancel' | 'keep';
}

export interface AccountSettings {
  readonly market: MarketType;
  readonly initialCash: number;
  /** Perpetual futures only. */
  readonly leverage: number;
  /** Maintenance margin rate (perp): liquidation when equity of the position falls below this share of notional. */
  readonly maintenanceMarginRate: number;
  readonly funding: FundingModel;
  readonly quoteCurrency: string;
}

export const DEFAULT_EXECUTION: ExecutionSettings = {
  fill: 'next_open',
  makerFee: 0.0002,
  takerFee: 0.0005,
  slippage: { kind: 'proportional', rate: 0.0002 },
  maxVolumeShare: 0.1,
  marketRemainder: 'cancel',
};

/** A closed round trip: from the fill that opened a position to the fill that closed it. */
export interface Trade {
  readonly symbol: Symbol;
  readonly direction: 'long' | 'short';
  readonly quantity: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly entryBar: number;
  readonly exitBar: number;
  /** Average fill prices, after slippage. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net profit in the quote currency: price difference × quantity − fees − funding. */
  readonly pnl: number;
  /** Net profit as a percent of the entry notional. */
  readonly returnPct: number;
  readonly fees: number;
  /** Funding paid (positive) or received (negative) while the trade was open. */
  readonly funding: number;
  readonly exitReason: OrderPurpose;
}

export interface EquityPoint {
  readonly time: number;
  /** Cash plus unrealised profit of open positions, marked at the bar's close. */
  readonly equity: number;
}
