// The walk-forward part of the report from each fold's in-sample winner and its out-of-sample trial:
// per-fold numbers, the stitched out-of-sample equity curve and the walk-forward efficiency.
import {
  type FoldWindows,
  maxDrawdownPct,
  sharpeOf,
  stitchOutOfSample,
  type WalkForwardReport,
  type WalkForwardSpec,
  walkForwardEfficiency,
} from '@candleflow/optimize';
import type { StoredTrial } from './store';

export interface FoldResult {
  readonly fold: FoldWindows;
  /** The in-sample search's best feasible trial; null when none was feasible. */
  readonly winner: StoredTrial | null;
  readonly outOfSample: {
    readonly trial: StoredTrial;
    readonly equity: { readonly time: readonly number[]; readonly equity: readonly number[] } | null;
  } | null;
}

export function walkForwardReport(
  spec: WalkForwardSpec,
  folds: readonly FoldResult[],
  times: ArrayLike<number>,
  initialEquity: number,
): WalkForwardReport {
  const timed = (window: { from: number; to: number }) => ({
    ...window,
    fromTime: times[window.from]!,
    toTime: times[window.to - 1]!,
  });
  const rows = folds.map(({ fold, winner, outOfSample }) => ({
    index: fold.index,
    inSample: timed(fold.inSample),
    outOfSample: timed(fold.outOfSample),
    params: winner?.params ?? null,
    inSampleObjective: winner?.objective ?? null,
    outOfSampleObjective: outOfSample?.trial.objective ?? null,
    inSampleAnnualReturnPct: annualisedLinearly(winner?.metrics?.totalReturnPct, fold.inSample, times),
    outOfSampleAnnualReturnPct: annualisedLinearly(
      outOfSample?.trial.metrics?.totalReturnPct,
      fold.outOfSample,
      times,
    ),
    outOfSampleMetrics: outOfSample?.trial.metrics ?? null,
  }));
  const stitched = stitchOutOfSample(
    folds.flatMap((f) => (f.outOfSample?.equity ? [f.outOfSample.equity] : [])),
    initialEquity,
  );
  const last = stitched.equity.at(-1) ?? initialEquity;
  const steps = stitched.equity.slice(1).map((value, i) => value / stitched.equity[i]! - 1);
  return {
    mode: spec.mode,
    folds: rows,
    efficiency: walkForwardEfficiency(rows),
    stitched,
    stitchedMetrics: {
      totalReturnPct: (last / initialEquity - 1) * 100,
      maxDrawdownPct: stitched.equity.length > 0 ? maxDrawdownPct(stitched.equity) : 0,
      // Per stitched point (not annualised): the points are unevenly spaced after downsampling.
      sharpe: sharpeOf(steps),
    },
  };
}

const YEAR_MS = 365 * 24 * 3_600_000;

/**
 * A window's return scaled to a year linearly (Pardo's annualised net profit: return × year / duration), not
 * compounded: compounding a month's +30% to a year gives +2,230%, and the efficiency ratio of such figures
 * says more about the window lengths than about how much of the in-sample gain survived.
 */
export function annualisedLinearly(
  totalReturnPct: number | undefined,
  window: { readonly from: number; readonly to: number },
  times: ArrayLike<number>,
): number | null {
  if (totalReturnPct === undefined) return null;
  const bars = window.to - window.from;
  if (bars < 2) return null;
  // The window spans its bars' open times plus one bar.
  const durationMs = ((times[window.to - 1]! - times[window.from]!) * bars) / (bars - 1);
  return durationMs > 0 ? (totalReturnPct * YEAR_MS) / durationMs : null;
}
