// apiTokens.revoke: stops a token working at once; the row stays for the audit trail.
import { z } from 'zod';
import { audit } from '../../audit';
import { principalCache } from '../../auth/principal-cache';
import { requireOwned } from '../../ownership';
import { type ProtectedContext, protectedProcedure } from '../../trpc';

export const revokeApiTokenInput = z.object({ id: z.string().min(1).max(64) }).strict();

export async function revokeApiToken(ctx: ProtectedContext, input: z.infer<typeof revokeApiTokenInput>) {
  const token = await requireOwned(ctx, 'apiToken', input.id);
  if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt };
  const revokedAt = ctx.clock();
  await ctx.prisma.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt } });
    await audit(
      ctx,
      'api_token.revoke',
      { type: 'apiToken', id: token.id },
      { prefix: token.prefix },
      { client: tx },
    );
  });
  principalCache(ctx.prisma).invalidateToken(token.id);
  return { id: token.id, revokedAt };
}

export const revokeApiTokenProcedure = protectedProcedure
  .input(revokeApiTokenInput)
  .mutation(({ ctx, input }) => revokeApiToken(ctx, input));
