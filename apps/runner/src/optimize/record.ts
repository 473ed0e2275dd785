// Turns evaluated trials into what is stored: the shared TrialResult (computed once per key) and each
// trial's outcome scored by the optimization's objective. Used by the trials job and by the parent for
// the out-of-sample trials it runs itself.
import { encodeReturns, type ObjectiveSpec, scoreTrial, type TrialMetrics } from '@candleflow/optimize';
import { ENGINE_VERSION } from '@candleflow/engine';
import type { TrialEvaluation } from './evaluate';
import type { OptimizationStore, TrialOutcome } from './store';

/** The outcome of a trial with these metrics (computed now, or reused from a stored result). */
export function outcomeOf(
  index: number,
  metrics: TrialMetrics,
  objective: ObjectiveSpec,
  cached: boolean,
): TrialOutcome {
  const score = scoreTrial(metrics, objective);
  return {
    index,
    objective: score.value,
    feasible: score.feasible,
    note: score.reason ?? null,
    metrics,
    cached,
  };
}

export function failedOutcome(index: number, error: string): TrialOutcome {
  return { index, objective: null, feasible: false, note: `failed: ${error}`, metrics: null, cached: false };
}

export async function recordEvaluations(
  store: OptimizationStore,
  optimizationId: string,
  objective: ObjectiveSpec,
  evaluations: readonly TrialEvaluation[],
): Promise<TrialOutcome[]> {
  const results = [];
  const outcomes: TrialOutcome[] = [];
  for (const evaluation of evaluations) {
    if (!evaluation.ok) {
      outcomes.push(failedOutcome(evaluation.index, evaluation.error));
      continue;
    }
    results.push({
      key: evaluation.key,
      metrics: evaluation.metrics,
      returns: encodeReturns(evaluation.returns),
      engineVersion: ENGINE_VERSION,
      cpuMs: evaluation.cpuMs,
    });
    outcomes.push(outcomeOf(evaluation.index, evaluation.metrics, objective, false));
  }
  // Results first: an outcome never points at a result that is not stored.
  await store.saveResults(results);
  await store.saveOutcomes(optimizationId, outcomes);
  return outcomes;
}
