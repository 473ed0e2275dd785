// strategies.exportJson: a version's graph as pretty JSON text, ready to save as a file and import
// elsewhere (positions included, so the canvas layout survives).
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { id } from './schemas';

export const exportJsonInput = z.strictObject({ id, version: z.number().int().min(1).optional() });

export async function exportJson(ctx: ProtectedContext, input: z.infer<typeof exportJsonInput>) {
  const strategy = await requireOwned(ctx, 'strategy', input.id, { allowPublic: true });
  const version = await ctx.prisma.strategyVersion.findFirst({
    where: { strategyId: strategy.id, ...(input.version !== undefined ? { number: input.version } : {}) },
    orderBy: { number: 'desc' },
  });
  if (!version) {
    throw new ApiError('NOT_FOUND', `Strategy ${strategy.id} has no version ${input.version ?? '(any)'}.`);
  }
  const slug =
    strategy.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'strategy';
  return {
    fileName: `${slug}-v${version.number}.json`,
    version: version.number,
    contentHash: version.contentHash,
    json: `${JSON.stringify(version.graph, null, 2)}\n`,
  };
}

export const exportJsonProcedure = protectedProcedure
  .input(exportJsonInput)
  .query(({ ctx, input }) => exportJson(ctx, input));
