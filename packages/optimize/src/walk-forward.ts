// Walk-forward analysis: where each fold's in-sample and out-of-sample windows fall, the out-of-sample
// equity curves chained into one, and the walk-forward efficiency (Pardo).
import type { BarWindow } from './report';
import type { WalkForwardSpec } from './spec';
import { mean } from './stats';

/** Fewer in-sample bars than this leave too few trades to choose parameters on. */
export const MIN_IN_SAMPLE_BARS = 200;
/**
 * ...and an in-sample window shorter than this many warm-ups is too short for the strategy's own time
 * scale: a strategy that needs 100 bars to warm up trades too rarely to be judged on 200.
 */
export const MIN_IN_SAMPLE_WARMUPS = 10;
/** Fewer out-of-sample bars than this say nothing about how the chosen parameters hold up. */
export const MIN_OUT_OF_SAMPLE_BARS = 50;

export interface FoldWindows {
  readonly index: number;
  readonly inSample: BarWindow;
  readonly outOfSample: BarWindow;
}

export type WalkForwardWindows =
  | { readonly ok: true; readonly folds: FoldWindows[] }
  | { readonly ok: false; readonly message: string; readonly hint: string; readonly neededBars: number };

/** In-sample and out-of-sample lengths for `bars` tradable bars: I = ⌊N / (1 + k·r)⌋, O = ⌊r·I⌋. */
function windowLengths(bars: number, spec: WalkForwardSpec): { inSample: number; outOfSample: number } {
  const inSample = Math.floor(bars / (1 + spec.folds * spec.oosRatio));
  return { inSample, outOfSample: Math.floor(spec.oosRatio * inSample) };
}

function minInSampleBars(warmupBars: number): number {
  return Math.max(MIN_IN_SAMPLE_BARS, MIN_IN_SAMPLE_WARMUPS * warmupBars);
}

function fits(bars: number, warmupBars: number, spec: WalkForwardSpec): boolean {
  const { inSample, outOfSample } = windowLengths(bars, spec);
  return inSample >= minInSampleBars(warmupBars) && outOfSample >= MIN_OUT_OF_SAMPLE_BARS;
}

/** The fewest tradable bars (after warm-up) on which every window reaches its minimum length. */
function barsNeeded(warmupBars: number, spec: WalkForwardSpec): number {
  // Below this even the in-sample minimum is out of reach; from there, step up to the first fit (the
  // floors make a closed form fragile, and the walk is at most a few thousand steps).
  let bars = Math.max(0, Math.floor(minInSampleBars(warmupBars) * (1 + spec.folds * spec.oosRatio)) - 2);
  while (!fits(bars, warmupBars, spec)) bars++;
  return bars;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Splits bars [warmupBars, totalBars) into `folds` folds. Each out-of-sample window follows its in-sample
 * window, and the out-of-sample windows follow one another without gaps or overlap. Rolling: the
 * in-sample window keeps its length and slides by one out-of-sample length per fold; anchored: it always
 * starts at the first tradable bar and grows. Bars after the last out-of-sample window are left out.
 * Refuses, with the bars it would need, when an in-sample or out-of-sample window would be too short.
 */
export function walkForwardWindows(
  totalBars: number,
  warmupBars: number,
  spec: WalkForwardSpec,
): WalkForwardWindows {
  const start = warmupBars;
  const tradable = Math.max(0, totalBars - warmupBars);
  if (!fits(tradable, warmupBars, spec)) {
    const needed = barsNeeded(warmupBars, spec);
    const share = Math.round(spec.oosRatio * 100);
    return {
      ok: false,
      message:
        `the dataset has ${count(tradable)} bars after ${count(warmupBars)} warm-up bars; ` +
        `${spec.folds} folds with out-of-sample ${share}% of in-sample need at least ${count(needed)} ` +
        `(${count(needed + warmupBars)} with the warm-up), so that each in-sample window has at least ` +
        `${count(minInSampleBars(warmupBars))} bars (${MIN_IN_SAMPLE_BARS}, or ${MIN_IN_SAMPLE_WARMUPS} times ` +
        `the warm-up if that is more) and each out-of-sample window at least ${MIN_OUT_OF_SAMPLE_BARS}`,
      hint: 'use a longer dataset or a shorter timeframe, fewer folds, or a larger out-of-sample share',
      neededBars: needed + warmupBars,
    };
  }
  const { inSample, outOfSample } = windowLengths(tradable, spec);
  const folds: FoldWindows[] = [];
  for (let index = 0; index < spec.folds; index++) {
    const inSampleTo = start + inSample + index * outOfSample;
    const inSampleFrom = spec.mode === 'anchored' ? start : inSampleTo - inSample;
    folds.push({
      index,
      inSample: { from: inSampleFrom, to: inSampleTo },
      outOfSample: { from: inSampleTo, to: inSampleTo + outOfSample },
    });
  }
  return { ok: true, folds };
}

export interface EquitySegment {
  readonly time: readonly number[];
  readonly equity: readonly number[];
}

/**
 * Chains the out-of-sample equity curves into one: each segment is scaled so that it starts where the
 * previous one ended (the first at `initialEquity`), as if the money had been carried from fold to fold.
 */
export function stitchOutOfSample(
  segments: readonly EquitySegment[],
  initialEquity: number,
): { time: number[]; equity: number[] } {
  const time: number[] = [];
  const equity: number[] = [];
  let carried = initialEquity;
  segments.forEach((segment, index) => {
    if (segment.time.length !== segment.equity.length) {
      throw new Error(
        `out-of-sample segment ${index} has ${segment.time.length} times but ${segment.equity.length} equity values`,
      );
    }
    const first = segment.equity[0];
    if (first === undefined) return;
    if (!(first > 0))
      throw new Error(`out-of-sample segment ${index} starts at equity ${first}; it must start above zero`);
    const scale = carried / first;
    for (let i = 0; i < segment.equity.length; i++) {
      time.push(segment.time[i]!);
      equity.push(segment.equity[i]! * scale);
    }
    carried = equity[equity.length - 1]!;
  });
  return { time, equity };
}

/**
 * Walk-forward efficiency (Pardo): mean out-of-sample annualised return over mean in-sample annualised
 * return, over the folds that have both. Null when no fold has both or the in-sample mean is not positive
 * (the ratio then says nothing about how much of the in-sample gain survives).
 */
export function walkForwardEfficiency(
  folds: readonly { inSampleAnnualReturnPct: number | null; outOfSampleAnnualReturnPct: number | null }[],
): number | null {
  const inSample: number[] = [];
  const outOfSample: number[] = [];
  for (const fold of folds) {
    if (fold.inSampleAnnualReturnPct === null || fold.outOfSampleAnnualReturnPct === null) continue;
    inSample.push(fold.inSampleAnnualReturnPct);
    outOfSample.push(fold.outOfSampleAnnualReturnPct);
  }
  if (inSample.length === 0) return null;
  const inSampleMean = mean(inSample);
  return inSampleMean > 0 ? mean(outOfSample) / inSampleMean : null;
}
