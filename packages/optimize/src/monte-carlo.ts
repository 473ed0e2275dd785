// Monte Carlo of the final run: how different its equity path could have been with the same edge.
// Three resamplers (trade order reshuffled, trades bootstrapped, blocks of per-bar returns bootstrapped)
// feed one path walker that keeps only each path's final equity, drawdown, ruin and a few band samples.
import { type Random, seededRandom } from './random';
import type { MonteCarloDistribution, MonteCarloReport } from './report';
import type { MonteCarloSpec } from './spec';
import { histogram, percentiles } from './stats';

/** The fan chart's equity bands are sampled at most at this many steps of the path. */
export const MAX_BAND_STEPS = 100;

export interface MonteCarloInput {
  /** Closed trades' profit and loss in the account currency, in the order they closed. */
  readonly tradePnls: readonly number[];
  /** Simple returns of the final run's equity from bar to bar. */
  readonly barReturns: ArrayLike<number>;
  readonly initialEquity: number;
  readonly spec: MonteCarloSpec;
  readonly seed: number;
}

/**
 * Runs the three methods `spec.runs` times each. Trade paths add each trade's P&L to the equity (from
 * the initial equity); bar paths compound the returns. An account that reaches zero stops there. The
 * same seed draws the same paths.
 */
export function monteCarlo(input: MonteCarloInput): MonteCarloReport {
  const { tradePnls, barReturns, initialEquity, spec, seed } = input;
  if (!(initialEquity > 0 && Number.isFinite(initialEquity))) {
    throw new RangeError(`Monte Carlo needs a positive initial equity, got ${initialEquity}`);
  }
  requireFinite(tradePnls, 'trade P&L');
  requireFinite(barReturns, 'bar return');
  const notes: string[] = [];
  const walk = { runs: spec.runs, initialEquity, ruinDrawdownPct: spec.ruinDrawdownPct };

  let reshuffle: MonteCarloDistribution | null = null;
  let tradeBootstrap: MonteCarloDistribution | null = null;
  if (tradePnls.length < 2) {
    notes.push(
      `trade reshuffling and the trade bootstrap need at least 2 closed trades; the run closed ${tradePnls.length}`,
    );
  } else {
    reshuffle = simulate(walk, tradePnls.length, 'add', methodRandom(seed, 1), reshuffledTrades(tradePnls));
    tradeBootstrap = simulate(
      walk,
      tradePnls.length,
      'add',
      methodRandom(seed, 2),
      bootstrappedTrades(tradePnls),
    );
  }

  const bars = barReturns.length;
  const blockBars = Math.min(spec.blockBars ?? Math.max(1, Math.round(Math.cbrt(bars))), Math.max(bars, 1));
  let blockBootstrap: MonteCarloDistribution | null = null;
  if (bars < 2) {
    notes.push(`the block bootstrap needs at least 2 bars of returns; the run has ${bars}`);
  } else {
    const returns = Float64Array.from(barReturns);
    blockBootstrap = simulate(
      walk,
      bars,
      'compound',
      methodRandom(seed, 3),
      bootstrappedBlocks(returns, blockBars),
    );
  }

  return {
    runs: spec.runs,
    ruinDrawdownPct: spec.ruinDrawdownPct,
    initialEquity,
    reshuffle,
    tradeBootstrap,
    blockBootstrap,
    blockBars,
    notes,
  };
}

function requireFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new RangeError(`${what} ${i} is ${values[i]}; Monte Carlo needs finite numbers`);
  }
}

/** Each method draws from its own stream, so one method's paths do not depend on whether another ran. */
function methodRandom(seed: number, method: number): Random {
  return seededRandom((seed + Math.imul(method, 0x9e3779b9)) >>> 0);
}

/** Fills `path` with one resampled sequence of steps (trade P&Ls or bar returns). */
type Resampler = (path: Float64Array, random: Random) => void;

function reshuffledTrades(pnls: readonly number[]): Resampler {
  return (path, random) => {
    path.set(pnls);
    // Fisher–Yates: every order equally likely.
    for (let i = path.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      const held = path[i]!;
      path[i] = path[j]!;
      path[j] = held;
    }
  };
}

function bootstrappedTrades(pnls: readonly number[]): Resampler {
  return (path, random) => {
    for (let i = 0; i < path.length; i++) path[i] = pnls[random.int(pnls.length)]!;
  };
}

/** Blocks of consecutive returns from random starts, wrapping around the end (circular block bootstrap). */
function bootstrappedBlocks(returns: Float64Array, blockBars: number): Resampler {
  const n = returns.length;
  return (path, random) => {
    let filled = 0;
    while (filled < n) {
      let source = random.int(n);
      const end = Math.min(filled + blockBars, n);
      while (filled < end) {
        path[filled++] = returns[source++]!;
        if (source === n) source = 0;
      }
    }
  };
}

interface WalkSettings {
  readonly runs: number;
  readonly initialEquity: number;
  readonly ruinDrawdownPct: number;
}

/** Positions along a path of `length` steps (0 = before the first) where the bands are sampled. */
function bandSteps(length: number): number[] {
  const count = Math.min(length + 1, MAX_BAND_STEPS);
  return Array.from({ length: count }, (_, i) => Math.round((i * length) / (count - 1)));
}

function simulate(
  settings: WalkSettings,
  length: number,
  apply: 'add' | 'compound',
  random: Random,
  resample: Resampler,
): MonteCarloDistribution {
  const { runs, initialEquity, ruinDrawdownPct } = settings;
  const steps = bandSteps(length);
  const finalEquity = new Float64Array(runs);
  const drawdownPct = new Float64Array(runs);
  // Step-major, so each step's values over all paths are one contiguous run for the percentiles.
  const bandValues = new Float64Array(steps.length * runs);
  const path = new Float64Array(length);
  const compound = apply === 'compound';
  let ruined = 0;

  for (let run = 0; run < runs; run++) {
    resample(path, random);
    let equity = initialEquity;
    let peak = initialEquity;
    let deepest = 0;
    bandValues[run] = equity;
    let nextBand = 1;
    for (let i = 0; i < length; i++) {
      if (equity > 0) {
        equity = compound ? equity * (1 + path[i]!) : equity + path[i]!;
        if (equity <= 0) {
          equity = 0;
          deepest = 1;
        } else if (equity > peak) {
          peak = equity;
        } else {
          const drawdown = (peak - equity) / peak;
          if (drawdown > deepest) deepest = drawdown;
        }
      }
      if (steps[nextBand] === i + 1) bandValues[nextBand++ * runs + run] = equity;
    }
    finalEquity[run] = equity;
    drawdownPct[run] = deepest * 100;
    if (equity === 0 || deepest * 100 >= ruinDrawdownPct) ruined++;
  }

  const p5: number[] = [];
  const p50: number[] = [];
  const p95: number[] = [];
  for (let s = 0; s < steps.length; s++) {
    const band = percentiles(bandValues.subarray(s * runs, (s + 1) * runs));
    p5.push(band.p5);
    p50.push(band.p50);
    p95.push(band.p95);
  }
  return {
    finalEquity: { ...percentiles(finalEquity), histogram: histogram(finalEquity) },
    maxDrawdownPct: { ...percentiles(drawdownPct), histogram: histogram(drawdownPct) },
    probabilityOfRuin: ruined / runs,
    bands: { step: steps, p5, p50, p95 },
  };
}
