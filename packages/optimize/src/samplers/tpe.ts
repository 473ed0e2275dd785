// Bayesian search by the tree-structured Parzen estimator (TPE, Bergstra et al. 2011): after a few random
// trials, the results told so far are split into the best few ("good") and the rest; a density is fitted
// to each, and the next trial is the candidate drawn from the good density where good/bad is highest.
import { seededRandom } from '../random';
import { type SearchSpace, satisfiesConstraints } from '../space';
import type { ParamSet } from '../spec';
import { type Axis, type ParzenEstimator, parzenEstimator } from './parzen';
import { type Point, paramsOf, pointKey, pointOf, randomDraw } from './points';
import type { Sampler } from './sampler';

/** Candidates drawn from the good density for each trial proposed (hyperopt and Optuna use 24). */
const CANDIDATES = 24;

/** Random trials before the model takes over: 10% of the budget, at least 10 and at most 25. */
export function startupTrials(budget: number): number {
  return Math.min(25, Math.max(10, Math.round(budget * 0.1)));
}

/** How many of n results count as good: 10%, at least 1 and at most 25 (Optuna's default). */
export function goodCount(n: number): number {
  return Math.min(25, Math.max(1, Math.ceil(n * 0.1)));
}

/**
 * The bad density keeps at most this many points, every k-th of their ranking, so a proposal costs the
 * same however long the run (the good group is capped by goodCount already).
 */
const MAX_BAD_POINTS = 1000;

interface Observation {
  readonly point: Point;
  readonly value: number | null;
}

interface Model {
  readonly good: ParzenEstimator;
  readonly bad: ParzenEstimator;
}

export function tpeSampler(space: SearchSpace, options: { seed: number; budget: number }): Sampler {
  const random = seededRandom(options.seed);
  const seen = new Set<string>();
  const draw = randomDraw(space, random, seen);
  const startup = startupTrials(options.budget);
  const axes: Axis[] = space.dimensions.map((dimension) =>
    dimension.kind === 'categorical'
      ? { kind: 'categorical', size: dimension.size as number }
      : dimension.size === null
        ? { kind: 'numeric', low: dimension.min as number, high: dimension.max as number }
        : { kind: 'numeric', low: -0.5, high: dimension.size - 0.5 },
  );
  const history: Observation[] = [];
  let asked = 0;

  // Numeric coordinates of a lattice are value indices: round them onto it.
  const snap = (point: number[]): Point =>
    point.map((x, d) => {
      const size = space.dimensions[d]?.size;
      return size === null || size === undefined ? x : Math.min(size - 1, Math.max(0, Math.round(x)));
    });

  const propose = (model: Model, chosen: Set<string>): Point | null => {
    let best: Point | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    let candidates = 0;
    for (let attempt = 0; attempt < CANDIDATES * 4 && candidates < CANDIDATES; attempt++) {
      const point = snap(model.good.sample(random));
      const key = pointKey(point);
      if (seen.has(key) || chosen.has(key) || !satisfiesConstraints(space, paramsOf(space, point))) continue;
      candidates++;
      const score = model.good.logDensity(point) - model.bad.logDensity(point);
      if (score > bestScore) {
        best = point;
        bestScore = score;
      }
    }
    return best;
  };

  return {
    ask(count) {
      const proposals: ParamSet[] = [];
      const chosen = new Set<string>();
      let model: Model | null | undefined;
      while (proposals.length < count) {
        if (asked >= startup) model ??= fit(axes, history);
        const proposed = model ? propose(model, chosen) : null;
        if (proposed !== null) seen.add(pointKey(proposed));
        const point = proposed ?? draw.next();
        if (point === null) break;
        chosen.add(pointKey(point));
        asked++;
        proposals.push(paramsOf(space, point));
      }
      return proposals;
    },
    tell(results) {
      for (const { params, value } of results) {
        const point = pointOf(space, params);
        if (point === null) continue;
        seen.add(pointKey(point));
        history.push({ point, value: value !== null && Number.isFinite(value) ? value : null });
      }
    },
  };
}

/** Good and bad densities from the results so far; null while no result has a value. */
function fit(axes: readonly Axis[], history: readonly Observation[]): Model | null {
  const valued = history
    .filter((o) => o.value !== null)
    .sort((a, b) => (b.value as number) - (a.value as number));
  if (valued.length === 0) return null;
  const good = valued.slice(0, Math.min(valued.length, goodCount(history.length)));
  const ranked = [...valued.slice(good.length), ...history.filter((o) => o.value === null)];
  const stride = Math.ceil(ranked.length / MAX_BAD_POINTS);
  const bad = ranked.filter((_, i) => i % stride === 0);
  return {
    good: parzenEstimator(
      axes,
      good.map((o) => o.point),
    ),
    bad: parzenEstimator(
      axes,
      bad.map((o) => o.point),
    ),
  };
}
