// strategies.duplicate: a new strategy of the caller's from a version of their own or of a public
// strategy (a fork); it remembers the version it came from.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { createStrategyWithVersion } from './create';
import { checkGraph } from './graph';
import { id, strategyName } from './schemas';

export const duplicateInput = z.strictObject({
  id,
  /** Defaults to the latest version. */
  version: z.number().int().min(1).optional(),
  name: strategyName.optional(),
});

export async function duplicateStrategy(ctx: ProtectedContext, input: z.infer<typeof duplicateInput>) {
  const source = await requireOwned(ctx, 'strategy', input.id, { allowPublic: true });
  const version = await ctx.prisma.strategyVersion.findFirst({
    where: { strategyId: source.id, ...(input.version !== undefined ? { number: input.version } : {}) },
    orderBy: { number: 'desc' },
  });
  if (!version) {
    throw new ApiError(
      'NOT_FOUND',
      input.version !== undefined
        ? `Strategy ${source.id} has no version ${input.version}.`
        : `Strategy ${source.id} has no saved version to copy.`,
    );
  }
  // Re-checked: the catalog or the size limit may have changed since the version was saved.
  const checked = checkGraph(version.graph, ctx.env.MAX_GRAPH_NODES);
  return createStrategyWithVersion(
    ctx,
    {
      name: input.name ?? `${source.name} (copy)`.slice(0, 200),
      description: source.description,
      forkedFromVersionId: version.id,
    },
    checked,
    'strategy.duplicate',
  );
}

export const duplicate = traderProcedure
  .input(duplicateInput)
  .mutation(({ ctx, input }) => duplicateStrategy(ctx, input));
