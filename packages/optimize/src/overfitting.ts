// Overfitting statistics of a search: the deflated Sharpe ratio (is the best trial's Sharpe more than the
// luck of trying many?) and the probability of backtest overfitting by combinatorially symmetric
// cross-validation (how often does the in-sample winner fall behind out of sample?).
import type { DeflatedSharpeReport, PboReport } from './report';
import { histogram, kurtosis, normalCdf, normalQuantile, sampleVariance, sharpeOf, skewness } from './stats';

const EULER_MASCHERONI = 0.5772156649015329;

/** Fewer return periods than this say too little about skewness and kurtosis for a deflated Sharpe. */
export const MIN_SHARPE_OBSERVATIONS = 10;

/**
 * The Sharpe ratio the best of `trials` skill-less trials is expected to reach, given the variance of the
 * trials' Sharpe ratios (Bailey & López de Prado 2014):
 * √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ the Euler–Mascheroni constant. Zero for one trial.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1) return 0;
  return (
    Math.sqrt(variance) *
    ((1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) +
      EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

/**
 * Probabilistic Sharpe ratio: the probability that the true Sharpe ratio exceeds `benchmark`, given an
 * observed Sharpe (per period) over `observations` periods with that skewness and (non-excess) kurtosis:
 * Φ((SR − SR*)·√(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)). Null when the moments leave no variance.
 */
export function probabilisticSharpe(input: {
  sharpe: number;
  benchmark: number;
  observations: number;
  skewness: number;
  kurtosis: number;
}): number | null {
  const { sharpe, benchmark, observations, skewness: skew, kurtosis: kurt } = input;
  const variance = 1 - skew * sharpe + ((kurt - 1) / 4) * sharpe * sharpe;
  if (!(variance > 0)) return null;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(variance));
}

/**
 * Deflated Sharpe ratio of the best trial: its probabilistic Sharpe against the maximum Sharpe expected
 * from luck over all the trials run. `returns` are the best trial's per-period returns; `trialSharpes`
 * every trial's Sharpe ratio per period over the same periods (the best one included).
 */
export function deflatedSharpe(input: {
  returns: ArrayLike<number>;
  trialSharpes: readonly number[];
}): DeflatedSharpeReport | { note: string } {
  const { returns, trialSharpes } = input;
  trialSharpes.forEach((sharpe, i) => {
    if (!Number.isFinite(sharpe))
      throw new RangeError(`trial Sharpe ${i} is ${sharpe}; pass only trials that have one`);
  });
  const observations = returns.length;
  if (trialSharpes.length === 0)
    return { note: 'the deflated Sharpe ratio needs the Sharpe ratios of the trials run' };
  if (observations < MIN_SHARPE_OBSERVATIONS) {
    return {
      note: `the deflated Sharpe ratio needs at least ${MIN_SHARPE_OBSERVATIONS} return periods; the best trial has ${observations}`,
    };
  }
  const sharpe = sharpeOf(returns);
  if (sharpe === null)
    return { note: "the best trial's returns never move, so it has no Sharpe ratio to deflate" };
  const trials = trialSharpes.length;
  const expected = expectedMaxSharpe(trials, sampleVariance(trialSharpes));
  const skew = skewness(returns);
  const kurt = kurtosis(returns);
  const probability = probabilisticSharpe({
    sharpe,
    benchmark: expected,
    observations,
    skewness: skew,
    kurtosis: kurt,
  });
  if (probability === null) {
    return { note: "the best trial's skewness and kurtosis leave its Sharpe ratio without a defined spread" };
  }
  return {
    probability,
    sharpe,
    expectedMaxSharpe: expected,
    trials,
    observations,
    skewness: skew,
    kurtosis: kurt,
  };
}

/** Partitions of the cross-validation: at most this many (C(16, 8) = 12,870 splits)... */
export const MAX_PBO_PARTITIONS = 16;
/** ...and at least this many. */
export const MIN_PBO_PARTITIONS = 4;
/** Each partition holds at least this many return periods, or its Sharpe ratios are noise. */
export const MIN_PERIODS_PER_PARTITION = 4;
/** Fewer partitions when C(S, S/2) · trials · S would exceed this many operations. */
export const PBO_OPERATION_BUDGET = 5e7;
/** The in-sample vs out-of-sample scatter keeps at most this many splits, evenly spread. */
export const MAX_DEGRADATION_POINTS = 500;

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** The largest even S within the limits whose splits stay within the operation budget. */
function defaultPartitions(periods: number, trials: number): number {
  for (let s = MAX_PBO_PARTITIONS; s > MIN_PBO_PARTITIONS; s -= 2) {
    const fitsBudget = binomial(s, s / 2) * trials * s <= PBO_OPERATION_BUDGET;
    if (fitsBudget && Math.floor(periods / s) >= MIN_PERIODS_PER_PARTITION) return s;
  }
  return MIN_PBO_PARTITIONS;
}

/** Every way to choose half of `partitions` partitions, as bit masks. */
function halves(partitions: number): number[] {
  const masks: number[] = [];
  for (let mask = 0; mask < 1 << partitions; mask++) {
    let bits = 0;
    for (let m = mask; m !== 0; m &= m - 1) bits++;
    if (bits === partitions / 2) masks.push(mask);
  }
  return masks;
}

/** Sharpe per period from a sum and a sum of squares over `n` periods; 0 (no edge either way) when flat. */
function sharpeFromSums(sum: number, sumOfSquares: number, n: number): number {
  const mean = sum / n;
  const variance = (sumOfSquares - sum * mean) / (n - 1);
  return variance > 1e-30 ? mean / Math.sqrt(variance) : 0;
}

/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
 * López de Prado & Zhu 2015). `returns` holds one per-period return series per trial, all the same length.
 * The periods are cut into S partitions; for every choice of S/2 of them as in-sample (the rest
 * out-of-sample) the in-sample best trial by Sharpe is ranked out of sample, ω = rank / (N + 1), and
 * λ = ln(ω / (1 − ω)). PBO is the share of splits with λ ≤ 0: the winner did no better than the median.
 */
export function probabilityOfBacktestOverfitting(
  returns: readonly ArrayLike<number>[],
  options: { partitions?: number } = {},
): PboReport | { note: string } {
  const trials = returns.length;
  if (trials < 2) {
    return {
      note: `the probability of backtest overfitting compares trials; it needs at least 2, got ${trials}`,
    };
  }
  const periods = returns[0]!.length;
  returns.forEach((series, i) => {
    if (series.length !== periods) {
      throw new RangeError(
        `trial ${i} has ${series.length} return periods, trial 0 has ${periods}; they must match`,
      );
    }
  });
  const partitions = options.partitions ?? defaultPartitions(periods, trials);
  if (!Number.isInteger(partitions) || partitions < 2 || partitions % 2 !== 0 || partitions > 24) {
    throw new RangeError(`partitions must be an even whole number from 2 to 24, got ${partitions}`);
  }
  const perPartition = Math.floor(periods / partitions);
  if (perPartition < MIN_PERIODS_PER_PARTITION) {
    return {
      note:
        `the probability of backtest overfitting needs at least ${partitions * MIN_PERIODS_PER_PARTITION} return ` +
        `periods per trial (${partitions} partitions of ${MIN_PERIODS_PER_PARTITION}); got ${periods}`,
    };
  }

  // Per trial and partition: the sum and the sum of squares of its returns, so that each split costs
  // O(trials · partitions) instead of a pass over every period. Periods beyond S · m are left out.
  const sums = new Float64Array(trials * partitions);
  const squares = new Float64Array(trials * partitions);
  for (let trial = 0; trial < trials; trial++) {
    const series = returns[trial]!;
    for (let part = 0; part < partitions; part++) {
      let sum = 0;
      let sumOfSquares = 0;
      for (let t = part * perPartition; t < (part + 1) * perPartition; t++) {
        const value = series[t]!;
        if (!Number.isFinite(value))
          throw new RangeError(`trial ${trial} has return ${value} at period ${t}`);
        sum += value;
        sumOfSquares += value * value;
      }
      sums[trial * partitions + part] = sum;
      squares[trial * partitions + part] = sumOfSquares;
    }
  }

  const masks = halves(partitions);
  const combinations = masks.length;
  const halfPeriods = (partitions / 2) * perPartition;
  const logits = new Float64Array(combinations);
  const outOfSample = new Float64Array(trials);
  const kept = keptSplits(combinations);
  const degradation: { inSample: number; outOfSample: number }[] = [];
  let overfit = 0;

  masks.forEach((mask, split) => {
    let winner = 0;
    let winnerInSample = Number.NEGATIVE_INFINITY;
    for (let trial = 0; trial < trials; trial++) {
      let inSum = 0;
      let inSquares = 0;
      let outSum = 0;
      let outSquares = 0;
      for (let part = 0; part < partitions; part++) {
        const cell = trial * partitions + part;
        if (mask & (1 << part)) {
          inSum += sums[cell]!;
          inSquares += squares[cell]!;
        } else {
          outSum += sums[cell]!;
          outSquares += squares[cell]!;
        }
      }
      const inSample = sharpeFromSums(inSum, inSquares, halfPeriods);
      if (inSample > winnerInSample) {
        winnerInSample = inSample;
        winner = trial;
      }
      outOfSample[trial] = sharpeFromSums(outSum, outSquares, halfPeriods);
    }
    const winnerOutOfSample = outOfSample[winner]!;
    let below = 0;
    let tied = 0;
    for (let trial = 0; trial < trials; trial++) {
      if (outOfSample[trial]! < winnerOutOfSample) below++;
      else if (outOfSample[trial] === winnerOutOfSample && trial !== winner) tied++;
    }
    // Rank 1 (worst) .. N (best); ties share the average rank.
    const omega = (below + 1 + tied / 2) / (trials + 1);
    const logit = Math.log(omega / (1 - omega));
    logits[split] = logit;
    if (logit <= 0) overfit++;
    if (kept.has(split)) degradation.push({ inSample: winnerInSample, outOfSample: winnerOutOfSample });
  });

  return {
    probability: overfit / combinations,
    partitions,
    combinations,
    logits: histogram(logits),
    degradation,
  };
}

/** Indices of the splits the scatter keeps: all of them, or MAX_DEGRADATION_POINTS spread evenly. */
function keptSplits(combinations: number): Set<number> {
  const count = Math.min(combinations, MAX_DEGRADATION_POINTS);
  if (count === 1) return new Set([0]);
  return new Set(Array.from({ length: count }, (_, i) => Math.round((i * (combinations - 1)) / (count - 1))));
}
