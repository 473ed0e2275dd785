// strategies.rename: a new name (and optionally description) for a strategy the caller owns.
import { z } from 'zod';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { id, strategyDescription, strategyName, strategySummary } from './schemas';

export const renameInput = z.strictObject({
  id,
  name: strategyName,
  description: strategyDescription.optional(),
});

export async function renameStrategy(ctx: ProtectedContext, input: z.infer<typeof renameInput>) {
  const existing = await requireOwned(ctx, 'strategy', input.id);
  const updated = await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.strategy.update({
      where: { id: existing.id },
      data: {
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
      },
      include: { versions: { orderBy: { number: 'desc' }, take: 1, select: { number: true } } },
    });
    await audit(
      ctx,
      'strategy.rename',
      { type: 'strategy', id: row.id },
      { from: existing.name, to: row.name },
      { client: tx },
    );
    return row;
  });
  return strategySummary(updated, ctx.user.id, updated.versions[0]?.number ?? null);
}

export const rename = traderProcedure
  .input(renameInput)
  .mutation(({ ctx, input }) => renameStrategy(ctx, input));
