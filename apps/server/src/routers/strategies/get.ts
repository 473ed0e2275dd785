// strategies.get: one strategy (own or public) with its latest version.
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { id, strategySummary, versionView } from './schemas';

export const getInput = z.strictObject({ id });

export async function getStrategy(ctx: ProtectedContext, input: z.infer<typeof getInput>) {
  const strategy = await requireOwned(ctx, 'strategy', input.id, { allowPublic: true });
  const latest = await ctx.prisma.strategyVersion.findFirst({
    where: { strategyId: strategy.id },
    orderBy: { number: 'desc' },
  });
  return {
    ...strategySummary(strategy, ctx.user.id, latest?.number ?? null),
    latest: latest ? versionView(latest) : null,
  };
}

export const get = protectedProcedure.input(getInput).query(({ ctx, input }) => getStrategy(ctx, input));
