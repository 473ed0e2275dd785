// versions.list: a strategy's versions, newest first, without their graphs (fetch one with versions.get).
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { id } from '../strategies/schemas';

export const listInput = z.strictObject({ strategyId: id });

export async function listVersions(ctx: ProtectedContext, input: z.infer<typeof listInput>) {
  const strategy = await requireOwned(ctx, 'strategy', input.strategyId, { allowPublic: true });
  return ctx.prisma.strategyVersion.findMany({
    where: { strategyId: strategy.id },
    orderBy: { number: 'desc' },
    select: {
      id: true,
      strategyId: true,
      number: true,
      contentHash: true,
      createdAt: true,
      createdById: true,
    },
  });
}

export const list = protectedProcedure.input(listInput).query(({ ctx, input }) => listVersions(ctx, input));
