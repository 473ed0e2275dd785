// Parzen estimators for TPE: a density over all axes at once, a mixture of one kernel per observed point
// (truncated Gaussians on numeric axes, smoothed indicators on categorical ones) plus a broad prior kernel.
import type { Random } from '../random';
import { normalCdf } from '../stats';
import type { Point } from './points';

/** One dimension as the estimator sees it: a numeric interval (value indices of a lattice count as numbers) or categories. */
export type Axis =
  | { readonly kind: 'numeric'; readonly low: number; readonly high: number }
  | { readonly kind: 'categorical'; readonly size: number };

export interface ParzenEstimator {
  /** A point drawn from the mixture (numeric coordinates inside [low, high], categories as indices). */
  sample(random: Random): number[];
  logDensity(point: Point): number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** The narrowest kernel is the axis' width divided by this (hyperopt's "magic clip" caps it at 100). */
const MAX_RESOLUTION = 100;

export function parzenEstimator(axes: readonly Axis[], observations: readonly Point[]): ParzenEstimator {
  // Component c < n is observation c; component n is the prior. All weigh the same.
  const n = observations.length;
  const logWeight = -Math.log(n + 1);
  const kernels = axes.map((axis, a) => {
    const centres = observations.map((point) => point[a] as number);
    return axis.kind === 'numeric'
      ? numericKernels(axis.low, axis.high, centres)
      : categoricalKernels(axis.size, centres);
  });

  return {
    sample(random) {
      const component = random.int(n + 1);
      return kernels.map((kernel) => kernel.sample(component, random));
    },
    logDensity(point) {
      let max = Number.NEGATIVE_INFINITY;
      const terms = new Float64Array(n + 1);
      for (let c = 0; c <= n; c++) {
        let term = logWeight;
        for (let a = 0; a < kernels.length; a++)
          term += (kernels[a] as AxisKernels).logDensity(c, point[a] as number);
        terms[c] = term;
        if (term > max) max = term;
      }
      if (max === Number.NEGATIVE_INFINITY) return max;
      let sum = 0;
      for (let c = 0; c <= n; c++) sum += Math.exp((terms[c] as number) - max);
      return max + Math.log(sum);
    },
  };
}

interface AxisKernels {
  sample(component: number, random: Random): number;
  logDensity(component: number, x: number): number;
}

/**
 * Truncated Gaussians on [low, high]. Bandwidths adapt to the data as in hyperopt's adaptive Parzen
 * estimator: each kernel is as wide as the larger gap to its neighbours (the prior, centred with the
 * axis' width, counts as a point), clipped to [width / min(100, 1 + points), width].
 */
function numericKernels(low: number, high: number, centres: readonly number[]): AxisKernels {
  const width = high - low;
  const mus = [...centres, (low + high) / 2];
  const sigmas = new Float64Array(mus.length);
  const order = mus.map((_, i) => i).sort((i, j) => (mus[i] as number) - (mus[j] as number));
  const minSigma = width / Math.min(MAX_RESOLUTION, 1 + mus.length);
  order.forEach((i, rank) => {
    const mu = mus[i] as number;
    const left = rank > 0 ? mu - (mus[order[rank - 1] as number] as number) : 0;
    const right = rank < order.length - 1 ? (mus[order[rank + 1] as number] as number) - mu : 0;
    sigmas[i] = Math.min(width, Math.max(minSigma, left, right));
  });
  sigmas[mus.length - 1] = width;
  const logNorms = mus.map((mu, i) => {
    const sigma = sigmas[i] as number;
    const mass = normalCdf((high - mu) / sigma) - normalCdf((low - mu) / sigma);
    return Math.log(sigma) + LOG_SQRT_2PI + Math.log(Math.max(mass, 1e-300));
  });
  return {
    sample(component, random) {
      const mu = mus[component] as number;
      const sigma = sigmas[component] as number;
      for (let attempt = 0; attempt < 32; attempt++) {
        const x = mu + sigma * random.normal();
        if (x >= low && x <= high) return x;
      }
      return Math.min(high, Math.max(low, mu));
    },
    logDensity(component, x) {
      const z = (x - (mus[component] as number)) / (sigmas[component] as number);
      return -0.5 * z * z - (logNorms[component] as number);
    },
  };
}

/**
 * Each observed category keeps half its kernel's mass and spreads the other half evenly over all
 * categories (itself included); the prior is uniform.
 */
function categoricalKernels(size: number, centres: readonly number[]): AxisKernels {
  const logHit = Math.log(0.5 + 0.5 / size);
  const logMiss = Math.log(0.5 / size);
  const logUniform = -Math.log(size);
  return {
    sample(component, random) {
      const centre = centres[component];
      return centre !== undefined && random.next() < 0.5 ? centre : random.int(size);
    },
    logDensity(component, x) {
      const centre = centres[component];
      if (centre === undefined) return logUniform;
      return centre === x ? logHit : logMiss;
    },
  };
}
