// datasets.get: one of the caller's datasets with its import report (gaps, warnings, hash).
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { datasetId, datasetView } from './schemas';

export const getInput = z.strictObject({ id: datasetId });

export async function getDataset(ctx: ProtectedContext, input: z.infer<typeof getInput>) {
  return datasetView(await requireOwned(ctx, 'dataset', input.id));
}

export const get = protectedProcedure.input(getInput).query(({ ctx, input }) => getDataset(ctx, input));
