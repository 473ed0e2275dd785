// optimizations.estimate: what an optimization would run (trials, grid size, folds, the searched
// dimensions) or why it cannot, without starting anything. The form calls it as the trader edits.
import { type Dimension, describeObjective } from '@candleflow/optimize';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { checkRequest, type OptimizationRequest, optimizationRequestInput } from './request';

/** Longer value lists are left out of the answer (values: null; min, max, step and size describe them). */
export const MAX_LISTED_ESTIMATE_VALUES = 1000;

const listed = (dimension: Dimension): Dimension =>
  dimension.values && dimension.values.length > MAX_LISTED_ESTIMATE_VALUES
    ? { ...dimension, values: null }
    : dimension;

export async function estimateOptimization(ctx: ProtectedContext, input: OptimizationRequest) {
  const request = await checkRequest(ctx, input);
  return {
    trials: request.totalTrials,
    searchTrials: request.searchTrials,
    gridSize: request.gridSize,
    folds: request.folds,
    warnings: request.warnings,
    dimensions: request.space.dimensions.map(listed),
    objectiveLabel: describeObjective(request.spec.objective),
    bars: request.dataset.bars,
    warmupBars: request.warmupBars,
  };
}

export const estimate = protectedProcedure
  .input(optimizationRequestInput)
  .query(({ ctx, input }) => estimateOptimization(ctx, input));
