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

/** What a rate-limited credential attempt is for; login and sign-up also draw on per-address budgets. */
export type AuthAttempt = 'login' | 'sign-up' | 'password';

/**
 * Limiter keys starting with this name a per-address budget (`address:login`, `address:sign-up`):
 * the limiter in app.ts keys them by the caller's address alone, whatever the email.
 */
export const ADDRESS_BUDGET_PREFIX = 'address:';

async function enforce(ctx: Context, key: string, tooMany: string): Promise<void> {
  const { allowed, retryAfterSeconds } = await ctx.limitAuthAttempt(ctx, key);
  if (!allowed) {
    const wait = Math.max(1, retryAfterSeconds);
    throw new ApiError('RATE_LIMITED', `${tooMany}; wait ${wait} s and try again.`, {
      retryAfterSeconds: wait,
    });
  }
}

/**
 * Login and sign-up share one budget per address and email; password changes have their own. The
 * account budget is checked first, so hammering one account does not also use up the address's
 * budget for everyone else behind it.
 */
export async function enforceAuthLimit(ctx: Context, email: string, attempt: AuthAttempt) {
  const purpose = attempt === 'password' ? 'password' : 'sign-in';
  await enforce(ctx, `${purpose}:${email}`, 'Too many attempts for this account from your address');
  if (attempt === 'login') {
    await enforce(ctx, `${ADDRESS_BUDGET_PREFIX}login`, 'Too many sign-in attempts from your address');
  } else if (attempt === 'sign-up') {
    await enforce(ctx, `${ADDRESS_BUDGET_PREFIX}sign-up`, 'Too many new accounts from your address');
  }
}
