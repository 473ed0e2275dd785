// Evaluators for nodes that keep nothing between bars: their snapshot is NO_STATE and restore has nothing to do.
import { type EvalContext, type Evaluator, NO_STATE, type Value } from '@candleflow/strategy-dsl';

/** Wraps a pure per-bar function as an evaluator. */
export function statelessEvaluator(
  update: (inputs: readonly Value[], out: Value[], ctx: EvalContext) => void,
): Evaluator {
  return {
    update,
    snapshot: () => NO_STATE,
    restore: () => {},
  };
}
