// The robustness half of the report: Monte Carlo of the final run, and from the search trials' stored
// per-period returns the deflated Sharpe ratio and the probability of backtest overfitting, plus how
// much of the objective each parameter explains.
import {
  decodeReturns,
  deflatedSharpe,
  type BestTrial,
  monteCarlo,
  type OptimizationReport,
  type OptimizeSpec,
  parameterImportance,
  probabilityOfBacktestOverfitting,
  type SearchSpace,
  sharpeOf,
} from '@candleflow/optimize';
import type { FinalRun } from './pool-messages';
import type { OptimizationStore, StoredTrial } from './store';

export function finalRunStatistics(
  final: FinalRun,
  initialEquity: number,
  spec: OptimizeSpec,
): OptimizationReport['monteCarlo'] {
  if (!spec.monteCarlo) return null;
  return monteCarlo({
    tradePnls: final.tradePnls,
    barReturns: final.barReturns,
    initialEquity,
    spec: spec.monteCarlo,
    seed: spec.seed,
  });
}

export async function searchStatistics(
  store: OptimizationStore,
  searchTrials: readonly StoredTrial[],
  best: BestTrial | null,
  space: SearchSpace,
): Promise<Pick<OptimizationReport, 'importance' | 'overfitting'>> {
  const computed = searchTrials.filter((t) => t.metrics !== null);
  const importance = parameterImportance(
    computed.map((t) => ({ params: t.params, value: t.feasible ? t.objective : null })),
    space.dimensions,
  );
  const stored = await store.findResults(computed.map((t) => t.resultKey));
  const returnsOf = new Map(
    computed.flatMap((t) => {
      const result = stored.get(t.resultKey);
      return result ? [[t.index, decodeReturns(result.returns)] as const] : [];
    }),
  );
  const series = [...returnsOf.values()];
  const trialSharpes = series.map((r) => sharpeOf(r)).filter((s): s is number => s !== null);
  const notes: string[] = [];
  const bestReturns = best ? returnsOf.get(best.index) : undefined;
  let dsr: OptimizationReport['overfitting']['deflatedSharpe'] = null;
  if (bestReturns) {
    const outcome = deflatedSharpe({ returns: bestReturns, trialSharpes });
    if ('note' in outcome) notes.push(`deflated Sharpe ratio: ${outcome.note}`);
    else dsr = outcome;
  } else {
    notes.push('deflated Sharpe ratio: there is no best trial to test');
  }
  const pboOutcome = probabilityOfBacktestOverfitting(series);
  const pbo = 'note' in pboOutcome ? null : pboOutcome;
  if ('note' in pboOutcome) notes.push(`probability of backtest overfitting: ${pboOutcome.note}`);
  return { importance, overfitting: { deflatedSharpe: dsr, pbo, notes } };
}
