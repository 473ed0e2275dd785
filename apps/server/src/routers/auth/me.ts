// auth.me: who is signed in (null when nobody), how, and the CSRF token for cookie sessions.
import { z } from 'zod';
import type { Context } from '../../context';
import { publicProcedure } from '../../trpc';

export function me(ctx: Context) {
  if (!ctx.user || !ctx.auth) return { user: null, via: null, csrfToken: null, sessionExpiresAt: null };
  const session = ctx.auth.kind === 'session' ? ctx.auth.session : null;
  return {
    user: ctx.user,
    via: ctx.auth.kind,
    csrfToken: session?.csrfSecret ?? null,
    sessionExpiresAt: session?.expiresAt ?? null,
  };
}

export const meProcedure = publicProcedure
  .input(z.object({}).strict().optional())
  .query(({ ctx }) => me(ctx));
