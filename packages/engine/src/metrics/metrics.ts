// Performance metrics of a run from its equity curve and closed trades. Every number says its unit, and
// nothing undefined leaks out as NaN or Infinity: an undefined metric is null with a note saying why.
// Formulas and both annualisation conventions are written out in ./README.md.
import type { EquityPoint, Trade } from '../types';
import { kellyFraction } from './kelly';

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** `crypto`: per-bar returns, 365-day years. `backtesting.py`: that library's daily-resampled convention. */
export type Annualisation = 'crypto' | 'backtesting.py';

export interface MetricsInput {
  /** One point per bar, oldest first; it should start at the starting equity (before the first fill). */
  readonly equity: readonly EquityPoint[];
  readonly trades: readonly Trade[];
  /** Starting equity, quote currency. */
  readonly initialCash: number;
  /** Length of one bar in ms. */
  readonly barMs: number;
  /** Fees paid over the run, quote currency. */
  readonly feesPaid: number;
  /** Funding paid (+) or received (−) over the run, quote currency. */
  readonly fundingPaid: number;
  /** Bars with an open position. */
  readonly exposureBars: number;
  /** Annual risk-free rate as a fraction (0.02 = 2%); default 0. */
  readonly riskFreeRate?: number;
  /** Default `crypto`. */
  readonly annualisation?: Annualisation;
}

export interface Metrics {
  readonly annualisation: Annualisation;
  /** Return periods per year used to annualise (bars per 365 days, or backtesting.py's 252/365/52/12/1). */
  readonly periodsPerYear: number | null;
  /** From the first bar's open to the last bar's close, ms. */
  readonly durationMs: number;
  /** Quote currency. */
  readonly initialCash: number;
  readonly finalEquity: number;
  readonly peakEquity: number;
  /** finalEquity − initialCash, quote currency. */
  readonly netProfit: number;
  readonly totalReturnPct: number;
  /** Compound annual growth over calendar time (365-day years), percent. */
  readonly cagrPct: number | null;
  /** The annual return the ratios use: cagrPct (crypto) or backtesting.py's "Return (Ann.)", percent. */
  readonly annualReturnPct: number | null;
  readonly annualVolatilityPct: number | null;
  /** Unitless; null when volatility is zero (flat equity) or there are fewer than 2 returns. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** annualReturnPct / maxDrawdownPct; null without a drawdown. */
  readonly calmar: number | null;
  /** Largest drop from a running peak, percent of that peak, as a positive number. */
  readonly maxDrawdownPct: number;
  /** Largest drop from a running peak in quote currency (positive). */
  readonly maxDrawdownQuote: number;
  /** Longest time from a peak to the first point back at or above it (or to the end when never recovered), ms. */
  readonly maxDrawdownDurationMs: number;
  readonly tradeCount: number;
  /** Share of trades with pnl > 0, percent. */
  readonly winRatePct: number | null;
  /** Gross profit / gross loss (quote currency); null when no trade lost (it would be infinite). */
  readonly profitFactor: number | null;
  /** Mean trade pnl, quote currency. */
  readonly expectancy: number | null;
  /** Mean trade return, percent of entry notional. */
  readonly expectancyPct: number | null;
  /** Mean pnl of winning trades, quote currency (> 0). */
  readonly avgWin: number | null;
  /** Mean pnl of losing trades, quote currency (< 0). */
  readonly avgLoss: number | null;
  readonly avgWinPct: number | null;
  /** Negative. */
  readonly avgLossPct: number | null;
  readonly bestTradePct: number | null;
  readonly worstTradePct: number | null;
  readonly avgTradeDurationMs: number | null;
  /** System Quality Number: sqrt(n) × mean / sample std of trade returns (percent); null for n < 2. */
  readonly sqn: number | null;
  /** Kelly criterion from trade pnl, percent of equity; may be negative. */
  readonly kellyPct: number | null;
  /** netProfit / maxDrawdownQuote, unitless. */
  readonly recoveryFactor: number | null;
  /** Share of bars with an open position, percent. */
  readonly exposureTimePct: number | null;
  /** Quote currency. */
  readonly feesPaid: number;
  readonly fundingPaid: number;
  /** Why a metric is null, and any caveat about the numbers. */
  readonly notes: readonly string[];
}

export interface DrawdownPoint {
  readonly time: number;
  /** Drop from the running peak, percent of that peak (≥ 0). */
  readonly drawdownPct: number;
}

/** The drawdown under the running peak at each point, for the report's underwater chart. */
export function drawdownSeries(equity: readonly EquityPoint[]): DrawdownPoint[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((point) => {
    peak = Math.max(peak, point.equity);
    return { time: point.time, drawdownPct: peak > 0 ? ((peak - point.equity) / peak) * 100 : 0 };
  });
}

export function computeMetrics(input: MetricsInput): Metrics {
  validate(input);
  const notes: string[] = [];
  const annualisation = input.annualisation ?? 'crypto';
  const riskFree = input.riskFreeRate ?? 0;
  const { equity, trades, initialCash } = input;
  const first = equity[0];
  const last = equity[equity.length - 1];

  const finalEquity = last?.equity ?? initialCash;
  const peakEquity = equity.reduce((peak, point) => Math.max(peak, point.equity), Number.NEGATIVE_INFINITY);
  const durationMs = first !== undefined && last !== undefined ? last.time - first.time + input.barMs : 0;
  const netProfit = finalEquity - initialCash;
  const totalReturnPct = (netProfit / initialCash) * 100;
  const cagrPct = cagr(initialCash, finalEquity, durationMs, notes);
  const drawdown = drawdownStats(equity);
  if (equity.length === 0) notes.push('no equity points: return, risk and drawdown metrics are empty');

  const risk =
    annualisation === 'crypto'
      ? cryptoRisk(equity, input.barMs, riskFree, cagrPct)
      : backtestingPyRisk(equity, riskFree);
  notes.push(...risk.notes);
  if (drawdown.maxPct === 0) notes.push('no drawdown: calmar and recovery factor are undefined (null)');

  const trade = tradeStats(trades, notes);
  return {
    annualisation,
    periodsPerYear: risk.periodsPerYear,
    durationMs,
    initialCash,
    finalEquity,
    peakEquity: equity.length === 0 ? initialCash : peakEquity,
    netProfit,
    totalReturnPct,
    cagrPct,
    annualReturnPct: risk.annualReturnPct,
    annualVolatilityPct: risk.annualVolatilityPct,
    sharpe: risk.sharpe,
    sortino: risk.sortino,
    calmar:
      risk.annualReturnPct !== null && drawdown.maxPct > 0 ? risk.annualReturnPct / drawdown.maxPct : null,
    maxDrawdownPct: drawdown.maxPct,
    maxDrawdownQuote: drawdown.maxQuote,
    maxDrawdownDurationMs: drawdown.maxDurationMs,
    ...trade,
    recoveryFactor: drawdown.maxQuote > 0 ? netProfit / drawdown.maxQuote : null,
    exposureTimePct: equity.length > 0 ? (input.exposureBars / equity.length) * 100 : null,
    feesPaid: input.feesPaid,
    fundingPaid: input.fundingPaid,
    notes,
  };
}

function validate(input: MetricsInput): void {
  if (!(input.initialCash > 0) || !Number.isFinite(input.initialCash)) {
    throw new Error(`computeMetrics: initialCash must be a positive number, got ${input.initialCash}`);
  }
  if (!(input.barMs > 0) || !Number.isFinite(input.barMs)) {
    throw new Error(`computeMetrics: barMs must be the bar length in ms (> 0), got ${input.barMs}`);
  }
  let previous = Number.NEGATIVE_INFINITY;
  input.equity.forEach((point, index) => {
    if (!Number.isFinite(point.equity) || !Number.isFinite(point.time)) {
      throw new Error(
        `computeMetrics: equity point ${index} is ${JSON.stringify(point)}; equity and time must be finite numbers`,
      );
    }
    if (point.time <= previous) {
      throw new Error(
        `computeMetrics: equity point ${index} (time ${point.time}) is not after the one before it`,
      );
    }
    previous = point.time;
  });
  input.trades.forEach((trade, index) => {
    if (!Number.isFinite(trade.pnl) || !Number.isFinite(trade.returnPct)) {
      throw new Error(`computeMetrics: trade ${index} (${trade.symbol}) has a non-finite pnl or returnPct`);
    }
  });
}

function cagr(initialCash: number, finalEquity: number, durationMs: number, notes: string[]): number | null {
  if (durationMs <= 0) return null;
  if (finalEquity <= 0) {
    notes.push('equity reached zero or below: CAGR is −100%');
    return -100;
  }
  const value = ((finalEquity / initialCash) ** (YEAR_MS / durationMs) - 1) * 100;
  if (!Number.isFinite(value)) notes.push('the run is too short to annualise its return: CAGR is null');
  return finite(value);
}

interface DrawdownStats {
  readonly maxPct: number;
  readonly maxQuote: number;
  readonly maxDurationMs: number;
}

function drawdownStats(equity: readonly EquityPoint[]): DrawdownStats {
  let maxPct = 0;
  let maxQuote = 0;
  let maxDurationMs = 0;
  let peak = Number.NEGATIVE_INFINITY;
  let peakTime = 0;
  let underwater = false;
  for (const point of equity) {
    if (point.equity >= peak) {
      // Back at (or above) the peak: the drawdown that started at peakTime has recovered.
      if (underwater) maxDurationMs = Math.max(maxDurationMs, point.time - peakTime);
      underwater = false;
      peak = point.equity;
      peakTime = point.time;
      continue;
    }
    underwater = true;
    maxQuote = Math.max(maxQuote, peak - point.equity);
    if (peak > 0) maxPct = Math.max(maxPct, ((peak - point.equity) / peak) * 100);
  }
  const last = equity[equity.length - 1];
  if (underwater && last !== undefined) maxDurationMs = Math.max(maxDurationMs, last.time - peakTime);
  return { maxPct, maxQuote, maxDurationMs };
}

interface RiskStats {
  readonly periodsPerYear: number | null;
  readonly annualReturnPct: number | null;
  readonly annualVolatilityPct: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly notes: readonly string[];
}

/** Per-bar simple returns, 365-day years; Sharpe and Sortino from the arithmetic mean excess return. */
function cryptoRisk(
  equity: readonly EquityPoint[],
  barMs: number,
  riskFree: number,
  cagrPct: number | null,
): RiskStats {
  const notes: string[] = [];
  const periodsPerYear = YEAR_MS / barMs;
  const returns = simpleReturns(equity.map((point) => point.equity));
  if (returns.length < equity.length - 1) notes.push('equity reached zero: returns after that are left out');
  if (returns.length < 2) {
    notes.push('fewer than 2 returns: volatility, sharpe and sortino are undefined (null)');
    return {
      periodsPerYear,
      annualReturnPct: cagrPct,
      annualVolatilityPct: null,
      sharpe: null,
      sortino: null,
      notes,
    };
  }
  const riskFreePerBar = riskFree / periodsPerYear;
  const excess = mean(returns) - riskFreePerBar;
  const std = sampleStd(returns);
  const downside = Math.sqrt(mean(returns.map((r) => Math.min(0, r - riskFreePerBar) ** 2)));
  const sqrtP = Math.sqrt(periodsPerYear);
  if (std === 0) notes.push('equity never changed: sharpe is undefined (null), not 0');
  if (downside === 0) notes.push('no return fell below the risk-free rate: sortino is undefined (null)');
  return {
    periodsPerYear,
    annualReturnPct: cagrPct,
    annualVolatilityPct: std * sqrtP * 100,
    sharpe: std > 0 ? (excess / std) * sqrtP : null,
    sortino: downside > 0 ? (excess / downside) * sqrtP : null,
    notes,
  };
}

/**
 * backtesting.py (0.6) convention: equity resampled to the last value per calendar day (week, month or year
 * for data that coarse), geometric mean period return g, annual trading periods D; see README.md.
 */
function backtestingPyRisk(equity: readonly EquityPoint[], riskFree: number): RiskStats {
  const notes: string[] = [];
  if (equity.length < 2) {
    notes.push(
      'fewer than 2 equity points: annual return, volatility, sharpe and sortino are undefined (null)',
    );
    return {
      periodsPerYear: null,
      annualReturnPct: null,
      annualVolatilityPct: null,
      sharpe: null,
      sortino: null,
      notes,
    };
  }
  const { periods, bucket } = tradingPeriods(equity);
  const resampled: number[] = [];
  let lastBucket: number | null = null;
  for (const point of equity) {
    const key = bucket(point.time);
    if (key === lastBucket) resampled[resampled.length - 1] = point.equity;
    else resampled.push(point.equity);
    lastBucket = key;
  }
  const returns = simpleReturns(resampled);
  // backtesting.py counts pct_change's leading NaN as a zero return in the geometric mean (n + 1 terms).
  const growth = returns.map((r) => 1 + r);
  const g = growth.some((x) => x <= 0)
    ? 0
    : Math.exp(growth.reduce((sum, x) => sum + Math.log(x), 0) / (returns.length + 1)) - 1;
  const annualReturn = (1 + g) ** periods - 1;
  const variance = returns.length >= 2 ? sampleVariance(returns) : null;
  const volatility =
    variance === null ? null : Math.sqrt((variance + (1 + g) ** 2) ** periods - (1 + g) ** (2 * periods));
  const downside = Math.sqrt(mean(returns.map((r) => Math.min(0, r) ** 2))) * Math.sqrt(periods);
  if (variance === null)
    notes.push('fewer than 2 resampled returns: volatility and sharpe are undefined (null)');
  if (volatility === 0) notes.push('equity never changed: sharpe is undefined (null), not 0');
  if (!(downside > 0)) notes.push('no losing period: sortino is undefined (null)');
  return {
    periodsPerYear: periods,
    annualReturnPct: finite(annualReturn * 100),
    annualVolatilityPct: volatility === null ? null : finite(volatility * 100),
    sharpe: volatility !== null && volatility > 0 ? finite((annualReturn - riskFree) / volatility) : null,
    sortino: downside > 0 ? finite((annualReturn - riskFree) / downside) : null,
    notes,
  };
}

/** backtesting.py's choice of resampling period and periods per year, from the median spacing of the data. */
function tradingPeriods(equity: readonly EquityPoint[]): {
  periods: number;
  bucket: (time: number) => number;
} {
  const tail = equity.slice(-100);
  const gaps = tail.slice(1).map((point, i) => point.time - (tail[i]?.time ?? point.time));
  const freqDays = Math.floor(median(gaps) / DAY_MS);
  if (freqDays === 7) return { periods: 52, bucket: (time) => Math.floor((time / DAY_MS + 3) / 7) }; // Mon–Sun weeks
  if (freqDays === 31) {
    return {
      periods: 12,
      bucket: (time) => new Date(time).getUTCFullYear() * 12 + new Date(time).getUTCMonth(),
    };
  }
  if (freqDays === 365) return { periods: 1, bucket: (time) => new Date(time).getUTCFullYear() };
  // 365 trading days when weekends hold a fair share of the bars (crypto, forex), else 252 (stocks).
  const weekend = equity.filter((point) => {
    const weekday = new Date(point.time).getUTCDay();
    return weekday === 0 || weekday === 6;
  }).length;
  const periods = weekend / equity.length > (2 / 7) * 0.6 ? 365 : 252;
  return { periods, bucket: (time) => Math.floor(time / DAY_MS) };
}

type TradeStats = Pick<
  Metrics,
  | 'tradeCount'
  | 'winRatePct'
  | 'profitFactor'
  | 'expectancy'
  | 'expectancyPct'
  | 'avgWin'
  | 'avgLoss'
  | 'avgWinPct'
  | 'avgLossPct'
  | 'bestTradePct'
  | 'worstTradePct'
  | 'avgTradeDurationMs'
  | 'sqn'
  | 'kellyPct'
>;

function tradeStats(trades: readonly Trade[], notes: string[]): TradeStats {
  const n = trades.length;
  if (n === 0) {
    notes.push('no closed trades: trade statistics are undefined (null)');
    return {
      tradeCount: 0,
      winRatePct: null,
      profitFactor: null,
      expectancy: null,
      expectancyPct: null,
      avgWin: null,
      avgLoss: null,
      avgWinPct: null,
      avgLossPct: null,
      bestTradePct: null,
      worstTradePct: null,
      avgTradeDurationMs: null,
      sqn: null,
      kellyPct: null,
    };
  }
  const pnls = trades.map((trade) => trade.pnl);
  const returns = trades.map((trade) => trade.returnPct);
  const winners = trades.filter((trade) => trade.pnl > 0);
  const losers = trades.filter((trade) => trade.pnl < 0);
  const grossProfit = winners.reduce((sum, trade) => sum + trade.pnl, 0);
  const grossLoss = -losers.reduce((sum, trade) => sum + trade.pnl, 0);
  if (losers.length === 0)
    notes.push('no losing trade: profit factor is undefined (null; it would be infinite)');
  const std = n >= 2 ? sampleStd(returns) : 0;
  if (n < 2) notes.push('fewer than 2 trades: SQN is undefined (null)');
  const kelly = kellyFraction(pnls);
  if (kelly === null) notes.push('no winning trade: Kelly is undefined (null)');
  return {
    tradeCount: n,
    winRatePct: (winners.length / n) * 100,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    expectancy: mean(pnls),
    expectancyPct: mean(returns),
    avgWin: winners.length > 0 ? grossProfit / winners.length : null,
    avgLoss: losers.length > 0 ? -grossLoss / losers.length : null,
    avgWinPct: winners.length > 0 ? mean(winners.map((trade) => trade.returnPct)) : null,
    avgLossPct: losers.length > 0 ? mean(losers.map((trade) => trade.returnPct)) : null,
    bestTradePct: Math.max(...returns),
    worstTradePct: Math.min(...returns),
    avgTradeDurationMs: mean(trades.map((trade) => trade.exitTime - trade.entryTime)),
    sqn: std > 0 ? (Math.sqrt(n) * mean(returns)) / std : null,
    kellyPct: kelly === null ? null : kelly * 100,
  };
}

/** Simple returns between consecutive values, stopping where a value is not positive (a bust account). */
function simpleReturns(values: readonly number[]): number[] {
  const returns: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const previous = values[i - 1] as number;
    if (!(previous > 0)) break;
    returns.push((values[i] as number) / previous - 1);
  }
  return returns;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function sampleVariance(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
}

function sampleStd(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Large exponents (periods ** …) can overflow; an overflow is reported as null rather than Infinity. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
