// optimizations.list: the caller's optimizations, newest first, optionally of one strategy.
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { optimizationId, optimizationSummaryView } from './views';

export const listInput = z
  .strictObject({
    strategyId: optimizationId.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ limit: 50 });

export async function listOptimizations(ctx: ProtectedContext, input: z.infer<typeof listInput>) {
  const rows = await ctx.prisma.optimization.findMany({
    where: {
      ownerId: ctx.user.id,
      ...(input.strategyId ? { strategyVersion: { strategyId: input.strategyId } } : {}),
    },
    omit: { report: true },
    include: { strategyVersion: { select: { number: true } }, dataset: { select: { name: true } } },
    orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
    take: input.limit,
  });
  return rows.map(optimizationSummaryView);
}

export const list = protectedProcedure
  .input(listInput)
  .query(({ ctx, input }) => listOptimizations(ctx, input));
