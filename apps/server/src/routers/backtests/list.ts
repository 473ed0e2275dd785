// backtests.list: the caller's runs, newest first, optionally of one strategy or in one state.
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { runId, runStatusView } from './views';

export const listInput = z
  .strictObject({
    strategyId: runId.optional(),
    status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED']).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** The last id of the previous page. */
    cursor: runId.optional(),
  })
  .default({ limit: 50 });

export async function listRuns(ctx: ProtectedContext, input: z.infer<typeof listInput>) {
  const rows = await ctx.prisma.backtestRun.findMany({
    where: {
      ownerId: ctx.user.id,
      ...(input.status ? { status: input.status } : {}),
      ...(input.strategyId ? { strategyVersion: { strategyId: input.strategyId } } : {}),
    },
    orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(runStatusView),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export const list = protectedProcedure.input(listInput).query(({ ctx, input }) => listRuns(ctx, input));
