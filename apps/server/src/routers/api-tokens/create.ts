// apiTokens.create: a personal token for scripts. The token is returned once; only its SHA-256 and
// a short prefix (to tell tokens apart in the UI) are stored.
import { z } from 'zod';
import { generateApiToken } from '../../auth/tokens';
import { audit } from '../../audit';
import { DAY_MS } from '../../auth/sessions';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure } from '../../trpc';

export const API_TOKEN_SCOPES = ['read', 'write'] as const;

export const createApiTokenInput = z
  .object({
    name: z.string().trim().min(1, 'name the token (e.g. "nightly script")').max(100),
    scopes: z.array(z.enum(API_TOKEN_SCOPES)).min(1).default(['read', 'write']),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export async function createApiToken(ctx: ProtectedContext, input: z.infer<typeof createApiTokenInput>) {
  // A token minting tokens would let a leaked one outlive its own revocation.
  if (ctx.auth.kind !== 'session') {
    throw new ApiError(
      'FORBIDDEN',
      'Create API tokens from a signed-in browser session, not with another token.',
    );
  }
  const { token, hash, prefix } = generateApiToken();
  const now = ctx.clock();
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
  const scopes = [...new Set(input.scopes)];
  const row = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        userId: ctx.user.id,
        name: input.name,
        tokenHash: hash,
        prefix,
        scopes,
        expiresAt,
        createdAt: now,
      },
    });
    await audit(
      ctx,
      'api_token.create',
      { type: 'apiToken', id: created.id },
      { name: input.name, prefix, scopes },
      {
        client: tx,
      },
    );
    return created;
  });
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    /** Shown once: store it now, it cannot be retrieved again. */
    token,
  };
}

export const createApiTokenProcedure = protectedProcedure
  .input(createApiTokenInput)
  .mutation(({ ctx, input }) => createApiToken(ctx, input));
