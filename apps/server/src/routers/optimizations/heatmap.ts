// optimizations.heatmap: the objective over two searched parameters (see heatmap-grid.ts), from the
// feasible trials of the search on the whole dataset, or of one walk-forward fold's in-sample search.
import { buildSearchSpace, type OptimizeSpec, type ParamSet } from '@candleflow/optimize';
import type { Graph } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { heatmapGrid } from './heatmap-grid';
import { optimizationId } from './views';

const paramName = z.string().trim().min(1).max(64);

export const heatmapInput = z
  .strictObject({
    id: optimizationId,
    x: paramName,
    y: paramName,
    stat: z.enum(['max', 'mean']).default('max'),
    /** A walk-forward fold (from 0): its in-sample trials instead of the whole-dataset search. */
    fold: z.number().int().min(0).max(100).optional(),
  })
  .refine((input) => input.x !== input.y, { message: 'choose two different parameters', path: ['y'] });

export async function optimizationHeatmap(ctx: ProtectedContext, input: z.infer<typeof heatmapInput>) {
  const optimization = await requireOwned(ctx, 'optimizationSummary', input.id);
  const version = await ctx.prisma.strategyVersion.findUniqueOrThrow({
    where: { id: optimization.strategyVersionId },
    select: { graph: true },
  });
  const graph = version.graph as Graph;
  const spec = optimization.spec as OptimizeSpec;
  const built = buildSearchSpace(graph.params, graph.constraints, spec.ranges);
  if (!built.ok) {
    throw new ApiError('INTERNAL', `optimization ${optimization.id}: its search space no longer builds`);
  }
  const dimensions = built.space.dimensions;
  const searched = dimensions.map((d) => d.name);
  const axis = (key: 'x' | 'y') => {
    const dimension = dimensions.find((d) => d.name === input[key]);
    if (!dimension) {
      const message = `"${input[key]}" is not a searched parameter of this optimization; choose one of ${searched.join(', ') || '(none)'}`;
      throw new ApiError('BAD_REQUEST', `Cannot draw the heat map: ${key}: ${message}.`, {
        issues: [{ path: key, message }],
      });
    }
    return dimension;
  };
  const x = axis('x');
  const y = axis('y');
  const folds = spec.walkForward?.folds ?? 0;
  if (input.fold !== undefined && input.fold >= folds) {
    const message =
      folds === 0
        ? 'this optimization has no walk-forward folds; leave fold out for the whole-dataset search'
        : `this optimization has ${folds} walk-forward folds, numbered 0 to ${folds - 1}`;
    throw new ApiError('BAD_REQUEST', `Cannot draw the heat map: fold: ${message}.`, {
      issues: [{ path: 'fold', message }],
    });
  }
  const trialsOf =
    input.fold === undefined
      ? { phase: 'SEARCH' as const }
      : { phase: 'IN_SAMPLE' as const, fold: input.fold };
  const rows = await ctx.prisma.optimizationTrial.findMany({
    where: { optimizationId: optimization.id, ...trialsOf, feasible: true, objective: { not: null } },
    select: { params: true, objective: true },
  });
  const trials = rows.map((row) => ({ params: row.params as ParamSet, objective: row.objective as number }));
  return heatmapGrid(x, y, trials, input.stat);
}

export const heatmap = protectedProcedure
  .input(heatmapInput)
  .query(({ ctx, input }) => optimizationHeatmap(ctx, input));
