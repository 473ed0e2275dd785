// strategies.list: the caller's own strategies and everyone's public ones, newest change first.
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { strategySummary } from './schemas';

export const listInput = z
  .strictObject({
    scope: z.enum(['all', 'mine', 'public']).default('all'),
    limit: z.number().int().min(1).max(200).default(100),
  })
  .default({ scope: 'all', limit: 100 });

export async function listStrategies(ctx: ProtectedContext, input: z.infer<typeof listInput>) {
  const mine = { ownerId: ctx.user.id };
  const shared = { visibility: 'PUBLIC' as const };
  const where = input.scope === 'mine' ? mine : input.scope === 'public' ? shared : { OR: [mine, shared] };
  const rows = await ctx.prisma.strategy.findMany({
    where: { ...where, deletedAt: null },
    orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    take: input.limit,
    include: { versions: { orderBy: { number: 'desc' }, take: 1, select: { number: true } } },
  });
  return rows.map((row) => strategySummary(row, ctx.user.id, row.versions[0]?.number ?? null));
}

export const list = protectedProcedure.input(listInput).query(({ ctx, input }) => listStrategies(ctx, input));
