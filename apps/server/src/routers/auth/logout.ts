// auth.logout: ends the current session (API tokens are revoked, not logged out) and clears cookies.
import { z } from 'zod';
import { principalCache } from '../../auth/principal-cache';
import { CSRF_COOKIE, invalidateSession, SESSION_COOKIE } from '../../auth/sessions';
import { audit } from '../../audit';
import type { Context } from '../../context';
import { publicProcedure } from '../../trpc';

export async function logout(ctx: Context) {
  ctx.cookies.clear(SESSION_COOKIE);
  ctx.cookies.clear(CSRF_COOKIE);
  if (ctx.auth?.kind !== 'session') return { ok: true };
  await invalidateSession(ctx.prisma, ctx.auth.session.id);
  principalCache(ctx.prisma).invalidateSession(ctx.auth.session.id);
  await audit(ctx, 'auth.logout', ctx.user ? { type: 'user', id: ctx.user.id } : null);
  return { ok: true };
}

export const logoutProcedure = publicProcedure
  .input(z.object({}).strict().optional())
  .mutation(({ ctx }) => logout(ctx));
