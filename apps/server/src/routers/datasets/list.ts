// datasets.list: the caller's datasets, newest first. Datasets are never shared.
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { datasetView } from './schemas';

export const listInput = z
  .strictObject({ limit: z.number().int().min(1).max(500).default(200) })
  .default({ limit: 200 });

export async function listDatasets(ctx: ProtectedContext, input: z.infer<typeof listInput>) {
  const rows = await ctx.prisma.dataset.findMany({
    where: { ownerId: ctx.user.id, deletedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: input.limit,
  });
  return rows.map(datasetView);
}

export const list = protectedProcedure.input(listInput).query(({ ctx, input }) => listDatasets(ctx, input));
