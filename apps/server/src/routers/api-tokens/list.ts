// apiTokens.list: the caller's tokens, newest first, without any secret.
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure } from '../../trpc';

export async function listApiTokens(ctx: ProtectedContext) {
  return ctx.prisma.apiToken.findMany({
    where: { userId: ctx.user.id },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      lastUsedAt: true,
      expiresAt: true,
      createdAt: true,
      revokedAt: true,
    },
  });
}

export const listApiTokensProcedure = protectedProcedure
  .input(z.object({}).strict().optional())
  .query(({ ctx }) => listApiTokens(ctx));
