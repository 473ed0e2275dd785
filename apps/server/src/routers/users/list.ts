// users.list: every account, for administrators choosing whose role to change.
import { z } from 'zod';
import { adminProcedure, type ProtectedContext } from '../../trpc';
import { publicUser } from '../auth/session-cookies';

export const listUsersInput = z
  .object({ limit: z.number().int().min(1).max(500).default(100), cursor: z.string().max(64).optional() })
  .strict()
  .default({ limit: 100 });

export async function listUsers(ctx: ProtectedContext, input: z.infer<typeof listUsersInput>) {
  const rows = await ctx.prisma.user.findMany({
    orderBy: { createdAt: 'asc' },
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return {
    users: page.map(publicUser),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export const listUsersProcedure = adminProcedure
  .input(listUsersInput)
  .query(({ ctx, input }) => listUsers(ctx, input));
