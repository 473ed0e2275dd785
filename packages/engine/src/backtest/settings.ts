// Backtest settings: realistic defaults, and the compatibility switches for comparing with other backtesters.
import type { AccountSettings, ExecutionSettings, Instrument } from '../types';
import { DEFAULT_EXECUTION } from '../types';

export interface BacktestSettings {
  readonly execution: ExecutionSettings;
  readonly account: AccountSettings;
  /** `strategy`: the order nodes' sizing. `all_in_units`: all available equity in whole units (backtesting.py). */
  readonly sizing: 'strategy' | 'all_in_units';
  /** Percent of equity an entry uses when its order node has no sizing input. */
  readonly defaultSizePercent: number;
  /** An entry opposite to the open position closes it first, then opens the new one. Otherwise it is ignored. */
  readonly exclusive: boolean;
  /** Close open trades at the last bar (at its close; `last_open` reproduces backtesting.py 0.3). */
  readonly closeAtEnd: false | 'last_close' | 'last_open';
  /** Only bars with from ≤ time < to take part (UTC ms). */
  readonly from?: number;
  readonly to?: number;
  /**
   * Bars from `from` up to this time (UTC ms) only warm the strategy up: it sees them, but nothing it decides
   * is acted on and the equity curve and metrics start here. Walk-forward windows use it so indicators are
   * ready on a window's first bar without trading on the bars before it.
   */
  readonly tradeFrom?: number;
  /** Exchange rules per symbol; missing symbols are inferred from the data's price precision. */
  readonly instruments?: Readonly<Record<string, Instrument>>;
  /** Ratios' annualisation convention. */
  readonly annualisation: 'crypto' | 'backtesting.py';
  /** Recorded in provenance; the engine itself is deterministic. */
  readonly seed: number;
}

export const DEFAULT_ACCOUNT: AccountSettings = {
  market: 'perp',
  initialCash: 10_000,
  leverage: 1,
  maintenanceMarginRate: 0.005,
  funding: { kind: 'fixed', rate: 0.0001, intervalHours: 8 },
  quoteCurrency: 'USDT',
};

export const DEFAULT_BACKTEST: BacktestSettings = {
  execution: DEFAULT_EXECUTION,
  account: DEFAULT_ACCOUNT,
  sizing: 'strategy',
  defaultSizePercent: 100,
  exclusive: false,
  closeAtEnd: false,
  annualisation: 'crypto',
  seed: 0,
};

/** Settings with overrides applied; nested objects merge one level deep. */
export function backtestSettings(overrides: {
  readonly execution?: Partial<ExecutionSettings>;
  readonly account?: Partial<AccountSettings>;
  readonly [key: string]: unknown;
}): BacktestSettings {
  const { execution, account, ...rest } = overrides;
  return {
    ...DEFAULT_BACKTEST,
    ...(rest as Partial<BacktestSettings>),
    execution: { ...DEFAULT_BACKTEST.execution, ...execution },
    account: { ...DEFAULT_BACKTEST.account, ...account },
  };
}
