// optimizations.trials: the evaluated trials of an optimization, one page at a time, best first by
// default (trials without an objective last, whichever the order), optionally of one phase or fold.
import type { TrialMetrics } from '@candleflow/optimize';
import { z } from 'zod';
import type { Prisma } from '../../db';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { API_PHASE, DB_PHASE, optimizationId, TRIAL_PHASES } from './views';

export const trialsInput = z.strictObject({
  id: optimizationId,
  phase: z.enum(TRIAL_PHASES).optional(),
  fold: z.number().int().min(0).max(100).optional(),
  sort: z.enum(['objective', 'index']).default('objective'),
  /** Default: best first for the objective, first proposed first for the index. */
  order: z.enum(['desc', 'asc']).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});

export async function listTrials(ctx: ProtectedContext, input: z.infer<typeof trialsInput>) {
  const optimization = await requireOwned(ctx, 'optimizationSummary', input.id);
  const where: Prisma.OptimizationTrialWhereInput = {
    optimizationId: optimization.id,
    evaluatedAt: { not: null },
    ...(input.phase ? { phase: DB_PHASE[input.phase] } : {}),
    ...(input.fold !== undefined ? { fold: input.fold } : {}),
  };
  const orderBy: Prisma.OptimizationTrialOrderByWithRelationInput[] =
    input.sort === 'objective'
      ? [{ objective: { sort: input.order ?? 'desc', nulls: 'last' } }, { index: 'asc' }]
      : [{ index: input.order ?? 'asc' }];
  const [total, rows] = await Promise.all([
    ctx.prisma.optimizationTrial.count({ where }),
    ctx.prisma.optimizationTrial.findMany({ where, orderBy, skip: input.offset, take: input.limit }),
  ]);
  return {
    total,
    rows: rows.map((row) => ({
      index: row.index,
      phase: API_PHASE[row.phase],
      fold: row.fold,
      params: row.params as Record<string, number | string | boolean>,
      objective: row.objective,
      feasible: row.feasible,
      note: row.note,
      metrics: (row.metrics ?? null) as TrialMetrics | null,
      cached: row.cached,
    })),
  };
}

export const trials = protectedProcedure.input(trialsInput).query(({ ctx, input }) => listTrials(ctx, input));
