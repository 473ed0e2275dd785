// Small builders for account tests: instruments quoted in USDT and fills with sensible defaults.

import type { AccountSettings, Fill, Instrument, OrderPurpose, Side } from '../../types';

export function instrument(symbol: string, stepSize = 0.001, quote = 'USDT'): Instrument {
  const [base = symbol] = symbol.split('/');
  return { symbol, base, quote, tickSize: 0.01, stepSize, minQty: stepSize, minNotional: 0 };
}

export function instruments(...list: Instrument[]): ReadonlyMap<string, Instrument> {
  return new Map(list.map((i) => [i.symbol, i]));
}

export const BTC = instrument('BTC/USDT');
export const ETH = instrument('ETH/USDT');

export function spotSettings(initialCash = 10_000): AccountSettings {
  return {
    market: 'spot',
    initialCash,
    leverage: 1,
    maintenanceMarginRate: 0,
    funding: { kind: 'none' },
    quoteCurrency: 'USDT',
  };
}

export function perpSettings(overrides: Partial<AccountSettings> = {}): AccountSettings {
  return {
    market: 'perp',
    initialCash: 10_000,
    leverage: 10,
    maintenanceMarginRate: 0.005,
    funding: { kind: 'none' },
    quoteCurrency: 'USDT',
    ...overrides,
  };
}

let nextId = 0;

export function fill(
  symbol: string,
  side: Side,
  quantity: number,
  price: number,
  options: { fee?: number; time?: number; barIndex?: number; purpose?: OrderPurpose } = {},
): Fill {
  nextId += 1;
  return {
    orderId: `o${nextId}`,
    symbol,
    side,
    quantity,
    price,
    fee: options.fee ?? 0,
    liquidity: 'taker',
    time: options.time ?? 0,
    barIndex: options.barIndex ?? 0,
    purpose: options.purpose ?? 'entry',
  };
}
