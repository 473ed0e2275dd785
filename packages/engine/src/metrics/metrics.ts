// Performance metrics of a run from its equity curve and closed trades. Every number says its unit, and
// nothing undefined leaks out as NaN or Infinity: an undefined metric is null with a note saying why.
// Formulas and both annualisation conventions are written out in ./README.md.
import type { EquityPoint, Trade } from '../types';
import { kellyFraction } from './kelly';

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** `crypto`: per-bar returns, 365-day years. `backtesting.py`: that library's daily-resampled convention. */
export type Annualisation = 'crypto' | 'backtesting.py';

/**
 * An equity curve as two columns of the same length (row i is one point): what a backtest keeps while it
 * runs. Metrics read it without making a point object, or any other per-bar array, per bar.
 */
export interface EquityColumns {
  /** UTC ms, strictly increasing. */
  readonly time: ArrayLike<number>;
  /** Quote currency. */
  readonly equity: ArrayLike<number>;
}

export interface MetricsInput {
  /** One point per bar, oldest first; it should start at the starting equity (before the first fill).
   * Points or columns: the metrics are the same. */
  readonly equity: readonly EquityPoint[] | EquityColumns;
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

/** The curve as columns (points are copied into two Float64Arrays once), after checking it. */
function equityColumns(equity: MetricsInput['equity']): Curve {
  if (!Array.isArray(equity)) {
    const columns = equity as EquityColumns;
    validateColumns(columns);
    return { time: columns.time, equity: columns.equity, length: columns.time.length };
  }
  const points = equity as readonly EquityPoint[];
  validatePoints(points);
  const time = new Float64Array(points.length);
  const values = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    time[i] = points[i]!.time;
    values[i] = points[i]!.equity;
  }
  return { time, equity: values, length: points.length };
}

/** Columns of a checked curve, with their common length. */
interface Curve extends EquityColumns {
  readonly length: number;
}

export function computeMetrics(input: MetricsInput): Metrics {
  validateSettings(input);
  const equity = equityColumns(input.equity);
  validateTrades(input.trades);
  const notes: string[] = [];
  const annualisation = input.annualisation ?? 'crypto';
  const riskFree = input.riskFreeRate ?? 0;
  const { trades, initialCash } = input;
  const n = equity.length;

  const finalEquity = n > 0 ? equity.equity[n - 1]! : initialCash;
  let peakEquity = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) peakEquity = Math.max(peakEquity, equity.equity[i]!);
  const durationMs = n > 0 ? equity.time[n - 1]! - equity.time[0]! + input.barMs : 0;
  const netProfit = finalEquity - initialCash;
  const totalReturnPct = (netProfit / initialCash) * 100;
  const cagrPct = cagr(initialCash, finalEquity, durationMs, notes);
  const drawdown = drawdownStats(equity);
  if (n === 0) notes.push('no equity points: return, risk and drawdown metrics are empty');

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
    peakEquity: n === 0 ? initialCash : peakEquity,
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
    exposureTimePct: n > 0 ? (input.exposureBars / n) * 100 : null,
    feesPaid: input.feesPaid,
    fundingPaid: input.fundingPaid,
    notes,
  };
}

function validateSettings(input: MetricsInput): void {
  if (!(input.initialCash > 0) || !Number.isFinite(input.initialCash)) {
    throw new Error(`computeMetrics: initialCash must be a positive number, got ${input.initialCash}`);
  }
  if (!(input.barMs > 0) || !Number.isFinite(input.barMs)) {
    throw new Error(`computeMetrics: barMs must be the bar length in ms (> 0), got ${input.barMs}`);
  }
}

function validateTrades(trades: readonly Trade[]): void {
  trades.forEach((trade, index) => {
    if (!Number.isFinite(trade.pnl) || !Number.isFinite(trade.returnPct)) {
      throw new Error(`computeMetrics: trade ${index} (${trade.symbol}) has a non-finite pnl or returnPct`);
    }
  });
}

function validatePoints(points: readonly EquityPoint[]): void {
  let previous = Number.NEGATIVE_INFINITY;
  points.forEach((point, index) => {
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
}

function validateColumns({ time, equity }: EquityColumns): void {
  if (time.length !== equity.length) {
    throw new Error(
      `computeMetrics: the equity columns differ in length (time ${time.length}, equity ${equity.length}); pass one time per equity value`,
    );
  }
  let previous = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < time.length; index++) {
    const t = time[index]!;
    const value = equity[index]!;
    if (!Number.isFinite(value) || !Number.isFinite(t)) {
      throw new Error(
        `computeMetrics: equity point ${index} is ${JSON.stringify({ time: t, equity: value })}; equity and time must be finite numbers`,
      );
    }
    if (t <= previous) {
      throw new Error(`computeMetrics: equity point ${index} (time ${t}) is not after the one before it`);
    }
    previous = t;
  }
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

function drawdownStats(curve: Curve): DrawdownStats {
  let maxPct = 0;
  let maxQuote = 0;
  let maxDurationMs = 0;
  let peak = Number.NEGATIVE_INFINITY;
  let peakTime = 0;
  let underwater = false;
  const { time, equity, length } = curve;
  for (let i = 0; i < length; i++) {
    const value = equity[i]!;
    if (value >= peak) {
      // Back at (or above) the peak: the drawdown that started at peakTime has recovered.
      if (underwater) maxDurationMs = Math.max(maxDurationMs, time[i]! - peakTime);
      underwater = false;
      peak = value;
      peakTime = time[i]!;
      continue;
    }
    underwater = true;
    maxQuote = Math.max(maxQuote, peak - value);
    if (peak > 0) maxPct = Math.max(maxPct, ((peak - value) / peak) * 100);
  }
  if (underwater && length > 0) maxDurationMs = Math.max(maxDurationMs, time[length - 1]! - peakTime);
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

/**
 * Per-bar simple returns, 365-day years; Sharpe and Sortino from the arithmetic mean excess return. The
 * returns are recomputed in each pass rather than kept (a million bars would make an 8 MB array); each pass
 * sums in the same order as a sum over an array, so the results are the same to the bit.
 */
function cryptoRisk(curve: Curve, barMs: number, riskFree: number, cagrPct: number | null): RiskStats {
  const notes: string[] = [];
  const periodsPerYear = YEAR_MS / barMs;
  const values = curve.equity;
  const count = returnCount(values, curve.length);
  if (count < curve.length - 1) notes.push('equity reached zero: returns after that are left out');
  if (count < 2) {
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
  let sum = 0;
  for (let i = 1; i <= count; i++) sum += values[i]! / values[i - 1]! - 1;
  const m = sum / count;
  let squares = 0;
  let downsideSquares = 0;
  for (let i = 1; i <= count; i++) {
    const r = values[i]! / values[i - 1]! - 1;
    squares += (r - m) ** 2;
    downsideSquares += Math.min(0, r - riskFreePerBar) ** 2;
  }
  const excess = m - riskFreePerBar;
  const std = Math.sqrt(squares / (count - 1));
  const downside = Math.sqrt(downsideSquares / count);
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
function backtestingPyRisk(curve: Curve, riskFree: number): RiskStats {
  const notes: string[] = [];
  if (curve.length < 2) {
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
  const { periods, bucket } = tradingPeriods(curve);
  // One value per day (week, month, year): small next to the curve itself.
  const resampled: number[] = [];
  let lastBucket: number | null = null;
  for (let i = 0; i < curve.length; i++) {
    const key = bucket(curve.time[i]!);
    if (key === lastBucket) resampled[resampled.length - 1] = curve.equity[i]!;
    else resampled.push(curve.equity[i]!);
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
function tradingPeriods(curve: Curve): {
  periods: number;
  bucket: (time: number) => number;
} {
  const { time, length } = curve;
  const gaps: number[] = [];
  for (let i = Math.max(0, length - 100) + 1; i < length; i++) gaps.push(time[i]! - time[i - 1]!);
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
  let weekend = 0;
  for (let i = 0; i < length; i++) {
    const weekday = new Date(time[i]!).getUTCDay();
    if (weekday === 0 || weekday === 6) weekend++;
  }
  const periods = weekend / length > (2 / 7) * 0.6 ? 365 : 252;
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
  const count = returnCount(values, values.length);
  for (let i = 1; i <= count; i++) returns.push((values[i] as number) / (values[i - 1] as number) - 1);
  return returns;
}

/** How many simple returns the first `length` values give: up to the first value that is not positive. */
function returnCount(values: ArrayLike<number>, length: number): number {
  let count = 0;
  for (let i = 1; i < length; i++) {
    if (!(values[i - 1]! > 0)) break;
    count++;
  }
  return count;
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
