// datasets.delete: refused while a backtest of it is queued or running (CONFLICT: cancel those
// first); otherwise a soft delete. The row and file stay so finished runs keep their provenance.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { datasetId } from './schemas';

export const deleteInput = z.strictObject({ id: datasetId });

export async function deleteDataset(ctx: ProtectedContext, input: z.infer<typeof deleteInput>) {
  const existing = await requireOwned(ctx, 'dataset', input.id);
  await ctx.prisma.$transaction(async (tx) => {
    const active = await tx.backtestRun.count({
      where: { datasetId: existing.id, status: { in: ['QUEUED', 'RUNNING'] } },
    });
    if (active > 0) {
      throw new ApiError(
        'CONFLICT',
        `Dataset ${existing.id} is used by ${active} queued or running backtest${active === 1 ? '' : 's'}; cancel them or wait, then delete it.`,
        { activeRuns: active },
      );
    }
    await tx.dataset.update({ where: { id: existing.id }, data: { deletedAt: ctx.clock() } });
    await audit(
      ctx,
      'dataset.delete',
      { type: 'dataset', id: existing.id },
      { name: existing.name },
      { client: tx },
    );
  });
  return { id: existing.id };
}

export const remove = traderProcedure
  .input(deleteInput)
  .mutation(({ ctx, input }) => deleteDataset(ctx, input));
