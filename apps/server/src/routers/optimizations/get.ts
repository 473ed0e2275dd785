// optimizations.get: one optimization with its progress, best trial, report and what it optimized.
import { z } from 'zod';
import { checkOwned } from '../../ownership';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { optimizationId, optimizationView } from './views';

export const getInput = z.strictObject({ id: optimizationId });

export async function getOptimization(ctx: ProtectedContext, input: z.infer<typeof getInput>) {
  const row = await ctx.prisma.optimization.findUnique({
    where: { id: input.id },
    include: {
      strategyVersion: { select: { number: true, strategyId: true, params: true } },
      dataset: { select: { name: true } },
    },
  });
  // Throws NOT_FOUND for a missing row or someone else's, exactly as requireOwned does.
  checkOwned(ctx, 'optimization', input.id, row);
  return optimizationView(row as NonNullable<typeof row>);
}

export const get = protectedProcedure.input(getInput).query(({ ctx, input }) => getOptimization(ctx, input));
