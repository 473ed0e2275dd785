// Starting a signed-in session for a user: the row, both cookies, and what the client is told.
import { CSRF_COOKIE, createSession, DAY_MS, SESSION_COOKIE } from '../../auth/sessions';
import { type AuthUser, type Context, roleFromDb } from '../../context';
import type { Prisma } from '../../db';
import { ApiError } from '../../errors';

export interface SignedIn {
  readonly user: AuthUser;
  /** Echo this in the x-csrf-token header on mutations (it is also in the cf_csrf cookie). */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export function publicUser(user: {
  id: string;
  email: string;
  role: 'ADMIN' | 'TRADER' | 'VIEWER';
  createdAt: Date;
}) {
  return { id: user.id, email: user.email, role: roleFromDb(user.role), createdAt: user.createdAt };
}

/** Cookies cannot be set over a WebSocket, so signing in there would silently do nothing. */
export function requireHttp(ctx: Context): void {
  if (ctx.transport !== 'http') {
    throw new ApiError('BAD_REQUEST', 'Sign in over HTTP (POST /trpc/auth.login), not over the WebSocket.');
  }
}

export async function startSession(
  ctx: Context,
  user: { id: string; email: string; role: 'ADMIN' | 'TRADER' | 'VIEWER'; createdAt: Date },
  client: Pick<Prisma.TransactionClient, 'session'> = ctx.prisma,
): Promise<{ signedIn: SignedIn; setCookies: () => void }> {
  const { token, session } = await createSession(
    client,
    user.id,
    ctx.clock(),
    ctx.env.SESSION_TTL_DAYS * DAY_MS,
  );
  return {
    signedIn: { user: publicUser(user), csrfToken: session.csrfSecret, expiresAt: session.expiresAt },
    // Cookies go out only once the transaction that made the session has committed.
    setCookies: () => {
      ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, expires: session.expiresAt });
      ctx.cookies.set(CSRF_COOKIE, session.csrfSecret, { httpOnly: false, expires: session.expiresAt });
    },
  };
}

/** Login and sign-up share one budget per address and email; password changes have their own. */
export async function enforceAuthLimit(
  ctx: Context,
  email: string,
  purpose: 'sign-in' | 'password' = 'sign-in',
) {
  const { allowed, retryAfterSeconds } = await ctx.limitAuthAttempt(ctx, `${purpose}:${email}`);
  if (!allowed) {
    throw new ApiError(
      'RATE_LIMITED',
      `Too many attempts for this account from your address; wait ${Math.max(1, retryAfterSeconds)} s and try again.`,
      { retryAfterSeconds },
    );
  }
}
