// strategies.setVisibility: share a strategy (PUBLIC: every signed-in user may read and fork it) or
// make it private again. Others can never change it either way.
import { z } from 'zod';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { id, strategySummary } from './schemas';

export const setVisibilityInput = z.strictObject({ id, visibility: z.enum(['PRIVATE', 'PUBLIC']) });

export async function setVisibility(ctx: ProtectedContext, input: z.infer<typeof setVisibilityInput>) {
  const existing = await requireOwned(ctx, 'strategy', input.id);
  const updated = await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.strategy.update({
      where: { id: existing.id },
      data: { visibility: input.visibility },
      include: { versions: { orderBy: { number: 'desc' }, take: 1, select: { number: true } } },
    });
    await audit(
      ctx,
      'strategy.set_visibility',
      { type: 'strategy', id: row.id },
      { from: existing.visibility, to: row.visibility },
      { client: tx },
    );
    return row;
  });
  return strategySummary(updated, ctx.user.id, updated.versions[0]?.number ?? null);
}

export const setVisibilityProcedure = traderProcedure
  .input(setVisibilityInput)
  .mutation(({ ctx, input }) => setVisibility(ctx, input));
