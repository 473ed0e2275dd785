// The small statistics the honesty checks share: moments, Sharpe per period, percentiles, histograms,
// drawdown and the standard normal distribution. Pure functions over plain or typed arrays.
import type { Histogram, Percentiles } from './report';

/** Bins of the charts' histograms. */
export const HISTOGRAM_BINS = 30;

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample variance (n − 1 in the denominator); 0 for fewer than two values. */
export function sampleVariance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - m) ** 2;
  return squares / (n - 1);
}

export function sampleStd(values: ArrayLike<number>): number {
  return Math.sqrt(sampleVariance(values));
}

/** Sharpe ratio per period: mean over sample standard deviation, no risk-free rate; null when flat or too short. */
export function sharpeOf(returns: ArrayLike<number>): number | null {
  if (returns.length < 2) return null;
  const std = sampleStd(returns);
  // A curve that never moves (beyond float noise) has no Sharpe ratio, not an infinite one.
  if (!(std > 1e-15)) return null;
  return mean(returns) / std;
}

/** Central moments m2, m3, m4 (population, divided by n). */
function centralMoments(values: ArrayLike<number>): { m2: number; m3: number; m4: number } {
  const n = values.length;
  const m = mean(values);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Skewness m3 / m2^1.5 (the moment estimator, as scipy's default); 0 for a flat series. */
export function skewness(values: ArrayLike<number>): number {
  const { m2, m3 } = centralMoments(values);
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

/** Kurtosis m4 / m2² — not excess: a normal distribution has 3. 3 for a flat series. */
export function kurtosis(values: ArrayLike<number>): number {
  const { m2, m4 } = centralMoments(values);
  return m2 > 0 ? m4 / (m2 * m2) : 3;
}

/** The q-th percentile (0..100) of values sorted ascending, interpolating linearly (numpy's default). */
function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = ((sorted.length - 1) * q) / 100;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** The q-th percentile (0..100) with linear interpolation between the closest ranks, like numpy.percentile. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${q}`);
  return percentileOfSorted(sortedCopy(values), q);
}

/** The 5th, 50th and 95th percentiles. */
export function percentiles(values: ArrayLike<number>): Percentiles {
  if (values.length === 0) throw new RangeError('percentiles of no values');
  const sorted = sortedCopy(values);
  return {
    p5: percentileOfSorted(sorted, 5),
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
  };
}

/**
 * Equal-width bins between the smallest and largest value; the last bin includes the largest value.
 * All values equal: one bin whose two edges are that value.
 */
export function histogram(values: ArrayLike<number>, bins = HISTOGRAM_BINS): Histogram {
  if (values.length === 0) return { edges: [], counts: [] };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min === max) return { edges: [min, max], counts: [values.length] };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.min(Math.floor((values[i]! - min) / width), bins - 1);
    counts[bin]!++;
  }
  return { edges, counts };
}

/** Deepest fall from a running peak, in percent of the peak (0 for a curve that never falls). */
export function maxDrawdownPct(equity: ArrayLike<number>): number {
  let peak = Number.NEGATIVE_INFINITY;
  let deepest = 0;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i]!;
    if (value > peak) peak = value;
    else if (peak > 0) deepest = Math.max(deepest, (peak - value) / peak);
  }
  return deepest * 100;
}

/** p[0]·x^(n−1) + … + p[n−1], by Horner's rule. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (const coefficient of coefficients) sum = sum * x + coefficient;
  return sum;
}

const HART_NUMERATOR = [
  0.0352624965998911, 0.700383064443688, 6.37396220353165, 33.912866078383, 112.079291497871,
  221.213596169931, 220.206867912376,
];
const HART_DENOMINATOR = [
  0.0883883476483184, 1.75566716318264, 16.064177579207, 86.7807322029461, 296.564248779674, 637.333633378831,
  793.826512519948, 440.413735824752,
];

/** Standard normal cumulative distribution Φ(x), absolute error below 1e-15 (Hart 1968, as given by West 2005). */
export function normalCdf(x: number): number {
  const z = Math.abs(x);
  let tail: number;
  if (z > 37) {
    tail = 0;
  } else if (z < 7.07106781186547) {
    tail = (Math.exp((-z * z) / 2) * polynomial(HART_NUMERATOR, z)) / polynomial(HART_DENOMINATOR, z);
  } else {
    const fraction = z + 1 / (z + 2 / (z + 3 / (z + 4 / (z + 0.65))));
    tail = Math.exp((-z * z) / 2) / fraction / 2.506628274631;
  }
  return x > 0 ? 1 - tail : tail;
}

// Acklam's rational approximation of the normal quantile (relative error 1.15e-9), refined below.
const ACKLAM_CENTRAL_NUMERATOR = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const ACKLAM_CENTRAL_DENOMINATOR = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1,
];
const ACKLAM_TAIL_NUMERATOR = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_TAIL_DENOMINATOR = [
  0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1,
];
const ACKLAM_LOW = 0.02425;

/** Standard normal quantile Φ⁻¹(p) for 0 < p < 1 (±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be between 0 and 1, got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Below the median only: Φ(x) near 1 would lose the digits that 1 − p keeps.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < ACKLAM_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(ACKLAM_TAIL_NUMERATOR, q) / polynomial(ACKLAM_TAIL_DENOMINATOR, q);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (q * polynomial(ACKLAM_CENTRAL_NUMERATOR, r)) / polynomial(ACKLAM_CENTRAL_DENOMINATOR, r);
  }
  // One Halley step against the double-precision Φ brings the result to full precision.
  const error = normalCdf(x) - p;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
