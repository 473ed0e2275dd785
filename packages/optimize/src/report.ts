// The shapes an optimization produces: what each trial keeps, and the report the studio shows. Plain
// JSON (they are stored in the database and cross process boundaries), numbers rounded by nobody.
import type { ParamSet } from './spec';

/** The metrics a trial keeps: enough for every objective, the constraints and the results table. */
export interface TrialMetrics {
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly totalReturnPct: number;
  readonly annualReturnPct: number | null;
  readonly profitFactor: number | null;
  readonly maxDrawdownPct: number;
  /** Closed trades. */
  readonly trades: number;
  readonly winRatePct: number | null;
  readonly finalEquity: number;
}

/** Where a trial ran: the whole dataset, or one side of a walk-forward fold. */
export type TrialPhase = 'search' | 'in_sample' | 'out_of_sample';

/** A window of the dataset in bar indices: [from, to). Warm-up bars before `from` feed the indicators only. */
export interface BarWindow {
  readonly from: number;
  readonly to: number;
}

/** What the objective made of one trial's metrics. */
export interface Score {
  /** Higher is better; null when the metric is undefined (e.g. Sharpe of a flat curve). */
  readonly value: number | null;
  /** False when a constraint (minimum trades, maximum drawdown) fails or value is null. */
  readonly feasible: boolean;
  /** Why it is infeasible, in words a trader reads ("12 trades, fewer than the minimum 30"). */
  readonly reason?: string;
}

export interface BestTrial {
  readonly index: number;
  readonly params: ParamSet;
  readonly objective: number;
  readonly metrics: TrialMetrics;
}

/** Live progress, as the studio's subscription hears it. */
export interface OptimizationProgress {
  readonly doneTrials: number;
  readonly totalTrials: number;
  /** Trials answered from stored results without running. */
  readonly cachedTrials: number;
  /** What the job is doing: searching, walk-forward fold k, final run, statistics. */
  readonly stage: string;
  readonly best: BestTrial | null;
}

export interface Percentiles {
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

/** Equal-width bins for a chart: counts[i] counts values in [edges[i], edges[i+1]). */
export interface Histogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface MonteCarloDistribution {
  readonly finalEquity: Percentiles & { readonly histogram: Histogram };
  readonly maxDrawdownPct: Percentiles & { readonly histogram: Histogram };
  /** Share of paths whose drawdown reached the ruin threshold, 0..1. */
  readonly probabilityOfRuin: number;
  /** Equity percentile bands over the path's steps (trade number or bar bucket), for the fan chart. */
  readonly bands: {
    readonly step: readonly number[];
    readonly p5: readonly number[];
    readonly p50: readonly number[];
    readonly p95: readonly number[];
  };
}

export interface MonteCarloReport {
  readonly runs: number;
  readonly ruinDrawdownPct: number;
  readonly initialEquity: number;
  /** Trade order reshuffled: same trades, another sequence (final equity is unchanged, drawdown is not). */
  readonly reshuffle: MonteCarloDistribution | null;
  /** Trades drawn with replacement. */
  readonly tradeBootstrap: MonteCarloDistribution | null;
  /** Blocks of consecutive per-bar returns drawn with replacement (keeps volatility clustering). */
  readonly blockBootstrap: MonteCarloDistribution | null;
  readonly blockBars: number;
  /** Why a method could not run (e.g. fewer than 2 trades). */
  readonly notes: readonly string[];
}

export interface WalkForwardFold {
  readonly index: number;
  /** Bar indices and their open times. */
  readonly inSample: BarWindow & { readonly fromTime: number; readonly toTime: number };
  readonly outOfSample: BarWindow & { readonly fromTime: number; readonly toTime: number };
  /** The in-sample winner, null when no in-sample trial was feasible. */
  readonly params: ParamSet | null;
  readonly inSampleObjective: number | null;
  readonly outOfSampleObjective: number | null;
  /** The window's total return scaled linearly to a year (return × 365 days / window length), percent. */
  readonly inSampleAnnualReturnPct: number | null;
  readonly outOfSampleAnnualReturnPct: number | null;
  readonly outOfSampleMetrics: TrialMetrics | null;
}

export interface WalkForwardReport {
  readonly mode: 'anchored' | 'rolling';
  readonly folds: readonly WalkForwardFold[];
  /** Out-of-sample annualised return over in-sample annualised return (Pardo); null when undefined. */
  readonly efficiency: number | null;
  /** The out-of-sample windows chained into one equity curve, starting at the initial equity. */
  readonly stitched: { readonly time: readonly number[]; readonly equity: readonly number[] };
  readonly stitchedMetrics: {
    readonly totalReturnPct: number;
    readonly maxDrawdownPct: number;
    readonly sharpe: number | null;
  };
}

export interface DeflatedSharpeReport {
  /** Probability that the best trial's true Sharpe is above zero after accounting for the trials run, 0..1. */
  readonly probability: number;
  /** The best trial's Sharpe per period (not annualised) and the one expected from luck alone. */
  readonly sharpe: number;
  readonly expectedMaxSharpe: number;
  readonly trials: number;
  readonly observations: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

export interface PboReport {
  /** Probability of backtest overfitting: share of splits where the in-sample winner ranks below the out-of-sample median, 0..1. */
  readonly probability: number;
  readonly partitions: number;
  readonly combinations: number;
  /** Logits of the in-sample winner's out-of-sample relative rank, one per split (histogram). */
  readonly logits: Histogram;
  /** In-sample vs out-of-sample performance of each split's winner (scatter). */
  readonly degradation: readonly { readonly inSample: number; readonly outOfSample: number }[];
}

export interface ParameterImportance {
  readonly name: string;
  /** Share of the objective's variance this parameter alone explains, 0..1. */
  readonly share: number;
}

export interface OptimizationReport {
  readonly best: BestTrial | null;
  readonly trials: {
    readonly total: number;
    readonly feasible: number;
    readonly cached: number;
    readonly failed: number;
  };
  readonly importance: {
    readonly parameters: readonly ParameterImportance[];
    /** What no single parameter explains (interactions and noise). */
    readonly unexplained: number;
  } | null;
  readonly walkForward: WalkForwardReport | null;
  readonly monteCarlo: MonteCarloReport | null;
  readonly overfitting: {
    readonly deflatedSharpe: DeflatedSharpeReport | null;
    readonly pbo: PboReport | null;
    /** Why a statistic is missing (too few trials, flat returns...). */
    readonly notes: readonly string[];
  };
  /** The backtest of the best parameters on the whole dataset (its trades and equity). */
  readonly finalRunId: string | null;
  readonly warnings: readonly string[];
}

/** Per-period returns every trial keeps for the overfitting statistics: this many equal bar buckets. */
export const RETURN_PERIODS = 480;
