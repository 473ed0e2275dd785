// versions.get: one version with its graph and DSL text, by id or by strategy and number.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { id, versionView } from '../strategies/schemas';

export const getInput = z.union([
  z.strictObject({ id }),
  z.strictObject({ strategyId: id, number: z.number().int().min(1) }),
]);

export async function getVersion(ctx: ProtectedContext, input: z.infer<typeof getInput>) {
  if ('id' in input) {
    return versionView(await requireOwned(ctx, 'strategyVersion', input.id, { allowPublic: true }));
  }
  const strategy = await requireOwned(ctx, 'strategy', input.strategyId, { allowPublic: true });
  const version = await ctx.prisma.strategyVersion.findUnique({
    where: { strategyId_number: { strategyId: strategy.id, number: input.number } },
  });
  if (!version) throw new ApiError('NOT_FOUND', `Strategy ${strategy.id} has no version ${input.number}.`);
  return versionView(version);
}

export const get = protectedProcedure.input(getInput).query(({ ctx, input }) => getVersion(ctx, input));
