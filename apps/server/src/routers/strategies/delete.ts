// strategies.delete: soft delete (deletedAt), so runs and forks that point at its versions keep
// their history; the strategy disappears from every list and lookup at once.
import { z } from 'zod';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { id } from './schemas';

export const deleteInput = z.strictObject({ id });

export async function deleteStrategy(ctx: ProtectedContext, input: z.infer<typeof deleteInput>) {
  const existing = await requireOwned(ctx, 'strategy', input.id);
  await ctx.prisma.$transaction(async (tx) => {
    await tx.strategy.update({ where: { id: existing.id }, data: { deletedAt: ctx.clock() } });
    await audit(
      ctx,
      'strategy.delete',
      { type: 'strategy', id: existing.id },
      { name: existing.name },
      { client: tx },
    );
  });
  return { id: existing.id };
}

export const remove = traderProcedure
  .input(deleteInput)
  .mutation(({ ctx, input }) => deleteStrategy(ctx, input));
