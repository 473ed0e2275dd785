// Sessions in the style the Lucia project recommends: the client holds a random token, the database
// holds its SHA-256 as the session id, and expiry slides forward while the session is used.
import type { PrismaClient } from '../db';
import { generateSecretToken, hashToken, isWellFormedToken } from './tokens';

export const SESSION_COOKIE = 'cf_session';
/** Readable by the page's script (not HttpOnly) so the studio can echo it in the CSRF header. */
export const CSRF_COOKIE = 'cf_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: Date;
  readonly csrfSecret: string;
}

export interface ValidatedSession<U> {
  readonly session: SessionRecord;
  readonly user: U;
  /** True when this validation pushed the expiry forward: the cookie must be sent again. */
  readonly renewed: boolean;
}

type SessionDb = Pick<PrismaClient, 'session'>;

export async function createSession(
  prisma: SessionDb,
  userId: string,
  now: Date,
  ttlMs: number,
): Promise<{ token: string; session: SessionRecord }> {
  const token = generateSecretToken();
  const session: SessionRecord = {
    id: hashToken(token),
    userId,
    expiresAt: new Date(now.getTime() + ttlMs),
    csrfSecret: generateSecretToken(),
  };
  await prisma.session.create({ data: { ...session, createdAt: now } });
  return { token, session };
}

/**
 * The session and user for a token, or null when the token is malformed, unknown or expired (an
 * expired row is deleted on sight). When less than half the lifetime remains the expiry moves to
 * now + ttl, so an active user stays signed in and an idle one is signed out.
 */
export async function validateSessionToken(prisma: PrismaClient, token: string, now: Date, ttlMs: number) {
  if (!isWellFormedToken(token)) return null;
  const id = hashToken(token);
  const row = await prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!row) return null;
  if (now.getTime() >= row.expiresAt.getTime()) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = row.expiresAt;
  let renewed = false;
  if (row.expiresAt.getTime() - now.getTime() < ttlMs / 2) {
    expiresAt = new Date(now.getTime() + ttlMs);
    await prisma.session.update({ where: { id }, data: { expiresAt } });
    renewed = true;
  }
  // Sessions made before CSRF secrets existed get one now rather than failing every mutation.
  let csrfSecret = row.csrfSecret;
  if (!csrfSecret) {
    csrfSecret = generateSecretToken();
    await prisma.session.update({ where: { id }, data: { csrfSecret } });
  }
  const session: SessionRecord = { id, userId: row.userId, expiresAt, csrfSecret };
  return { session, user: row.user, renewed };
}

export async function invalidateSession(prisma: SessionDb, sessionId: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: sessionId } });
}

/** Signs a user out everywhere (after a password change), optionally keeping the current session. */
export async function invalidateUserSessions(
  prisma: SessionDb,
  userId: string,
  keepSessionId?: string,
): Promise<number> {
  const { count } = await prisma.session.deleteMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
  });
  return count;
}
