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
    inSampleAnnualReturnPct: winner?.metrics?.annualReturnPct ?? null,
    outOfSampleAnnualReturnPct: outOfSample?.trial.metrics?.annualReturnPct ?? null,
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
