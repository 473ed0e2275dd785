// Builds the per-request tRPC context: who is calling (session cookie or API token), from where,
// and the shared services (env, database, clock, queue). HTTP and WebSocket calls share one shape.
import type { IncomingMessage } from 'node:http';
import type {} from '@fastify/cookie';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Database, PrismaClient } from './db';
import type { Env } from './env';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  DAY_MS,
  SESSION_COOKIE,
  type SessionRecord,
  validateSessionToken,
} from './auth/sessions';
import { principalCache } from './auth/principal-cache';
import { API_TOKEN_PREFIX, hashToken, isWellFormedToken } from './auth/tokens';

export type Role = 'admin' | 'trader' | 'viewer';
export type Clock = () => Date;

/** Role order for `roleProcedure`: each role may do everything the ones before it may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

export function roleFromDb(role: 'ADMIN' | 'TRADER' | 'VIEWER'): Role {
  return role.toLowerCase() as Role;
}
export function roleToDb(role: Role): 'ADMIN' | 'TRADER' | 'VIEWER' {
  return role.toUpperCase() as 'ADMIN' | 'TRADER' | 'VIEWER';
}

export interface AuthUser {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly createdAt: Date;
}

export type AuthMethod =
  | { readonly kind: 'session'; readonly session: SessionRecord }
  | { readonly kind: 'apiToken'; readonly tokenId: string; readonly scopes: readonly string[] };

/** Attempt limiter for credential endpoints; `key` (purpose and email) is combined with the caller's IP. */
export type AttemptLimiter = (
  ctx: Context,
  key: string,
) => Promise<{ allowed: boolean; retryAfterSeconds: number }>;

/** Long-lived things every request can use; built once by buildServer. */
export interface ServerServices {
  readonly env: Env;
  readonly db: Database;
  readonly clock: Clock;
  /** The job queue (apps/runner's JobQueue) when the server was given one. */
  readonly queue: unknown;
  readonly limitAuthAttempt: AttemptLimiter;
  readonly log: FastifyBaseLogger;
}

/** How a procedure sets or clears cookies; a no-op over WebSocket, where no response headers exist. */
export interface CookieJar {
  set(name: string, value: string, options: { httpOnly: boolean; expires: Date }): void;
  clear(name: string): void;
}

export interface Context extends ServerServices {
  readonly prisma: PrismaClient;
  readonly requestId: string;
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly transport: 'http' | 'ws';
  readonly log: FastifyBaseLogger;
  readonly user: AuthUser | null;
  readonly auth: AuthMethod | null;
  /** Why presented credentials were refused, for protected procedures to report. */
  readonly authProblem: string | undefined;
  /** Whether the Origin (or Referer) header, when sent, names this server. */
  readonly sameOrigin: boolean;
  /** The CSRF token the client sent (header over HTTP, connection param over WebSocket). */
  readonly csrfToken: string | undefined;
  readonly cookies: CookieJar;
  readonly req: FastifyRequest | undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseCookies(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie we cannot decode is one we did not set; ignore it.
    }
  }
  return out;
}

/**
 * True when the request's Origin (or, failing that, Referer) has the same host as the request, or
 * when neither is sent (non-browser clients; they still need the CSRF token for cookie mutations).
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const source = header(req, 'origin') ?? header(req, 'referer');
  if (source === undefined) return true;
  const host = header(req, 'host');
  if (!host || source === 'null') return false;
  try {
    return new URL(source).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

export function cookieOptions(env: Env) {
  return { path: '/', sameSite: 'lax' as const, secure: env.NODE_ENV === 'production' };
}

function cookieJar(env: Env, res: FastifyReply | undefined): CookieJar {
  if (!res) return { set() {}, clear() {} };
  return {
    set(name, value, { httpOnly, expires }) {
      res.setCookie(name, value, { ...cookieOptions(env), httpOnly, expires });
    },
    clear(name) {
      res.clearCookie(name, cookieOptions(env));
    },
  };
}

interface Identity {
  user: AuthUser | null;
  auth: AuthMethod | null;
  authProblem: string | undefined;
}

const anonymous = (authProblem?: string): Identity => ({ user: null, auth: null, authProblem });

const toAuthUser = (u: {
  id: string;
  email: string;
  role: 'ADMIN' | 'TRADER' | 'VIEWER';
  createdAt: Date;
}) => ({
  id: u.id,
  email: u.email,
  role: roleFromDb(u.role),
  createdAt: u.createdAt,
});

// lastUsedAt is informational; writing it at most once a minute keeps reads read-only under load.
const LAST_USED_GRANULARITY_MS = 60_000;

async function identifyApiToken(services: ServerServices, token: string): Promise<Identity> {
  const refused =
    'The API token is invalid, expired or revoked; create a new one under Settings → API tokens.';
  if (!isWellFormedToken(token, API_TOKEN_PREFIX)) return anonymous(refused);
  const now = services.clock();
  const tokenHash = hashToken(token);
  const cache = principalCache(services.db.prisma);
  const hit = cache.getToken(tokenHash);
  // A hit is used only while the token is unexpired and its lastUsedAt needs no write.
  if (
    hit &&
    (!hit.expiresAt || hit.expiresAt.getTime() > now.getTime()) &&
    hit.lastUsedAt &&
    now.getTime() - hit.lastUsedAt.getTime() <= LAST_USED_GRANULARITY_MS
  ) {
    return {
      user: hit.user,
      auth: { kind: 'apiToken', tokenId: hit.tokenId, scopes: hit.scopes },
      authProblem: undefined,
    };
  }
  const generation = cache.generation;
  const row = await services.db.prisma.apiToken.findUnique({
    where: { tokenHash },
    include: { user: true },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime()))
    return anonymous(refused);
  let lastUsedAt = row.lastUsedAt;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await services.db.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    lastUsedAt = now;
  }
  const user = toAuthUser(row.user);
  cache.putToken(tokenHash, generation, {
    user,
    tokenId: row.id,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    lastUsedAt,
  });
  return {
    user,
    auth: { kind: 'apiToken', tokenId: row.id, scopes: row.scopes },
    authProblem: undefined,
  };
}

async function identifySession(
  services: ServerServices,
  token: string,
  cookies: CookieJar,
): Promise<Identity> {
  const ttlMs = services.env.SESSION_TTL_DAYS * DAY_MS;
  const now = services.clock();
  const cache = principalCache(services.db.prisma);
  const sessionId = isWellFormedToken(token) ? hashToken(token) : undefined;
  const hit = sessionId === undefined ? undefined : cache.getSession(sessionId);
  // A hit is used only while the session is unexpired and not yet due for its sliding renewal (the
  // renewal, a write, happens on the database path below exactly as without the cache).
  if (hit && hit.session.expiresAt.getTime() - now.getTime() >= ttlMs / 2) {
    return { user: hit.user, auth: { kind: 'session', session: hit.session }, authProblem: undefined };
  }
  const generation = cache.generation;
  const found = await validateSessionToken(services.db.prisma, token, now, ttlMs);
  if (!found) {
    cookies.clear(SESSION_COOKIE);
    cookies.clear(CSRF_COOKIE);
    return anonymous('Your session has expired or is not valid; sign in again.');
  }
  if (found.renewed) {
    cookies.set(SESSION_COOKIE, token, { httpOnly: true, expires: found.session.expiresAt });
    cookies.set(CSRF_COOKIE, found.session.csrfSecret, { httpOnly: false, expires: found.session.expiresAt });
  }
  const user = toAuthUser(found.user);
  cache.putSession(found.session.id, generation, { user, session: found.session });
  return {
    user,
    auth: { kind: 'session', session: found.session },
    authProblem: undefined,
  };
}

/** Works out who is calling from the raw request (shared by tRPC HTTP, tRPC WebSocket and plain routes). */
export async function identify(
  services: ServerServices,
  req: IncomingMessage,
  cookies: CookieJar,
  options: { allowCookie: boolean },
): Promise<Identity> {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) return anonymous('The Authorization header must be "Bearer <API token>".');
    return identifyApiToken(services, match[1]);
  }
  const token = parseCookies(header(req, 'cookie'))[SESSION_COOKIE];
  if (token === undefined) return anonymous();
  // A cross-site WebSocket would carry the victim's cookie: refuse cookie identity from foreign origins.
  if (!options.allowCookie) return anonymous('Cookie sign-in is not accepted from another origin.');
  return identifySession(services, token, cookies);
}

/** The tRPC createContext for both transports. */
export function contextFactory(services: ServerServices) {
  return async (opts: CreateFastifyContextOptions): Promise<Context> => {
    // With useWSS the adapter hands WebSocket connections the raw IncomingMessage, not a FastifyRequest.
    const isWs = !('raw' in opts.req);
    const fastifyReq = isWs ? undefined : opts.req;
    const raw: IncomingMessage = fastifyReq ? fastifyReq.raw : (opts.req as unknown as IncomingMessage);
    const res = isWs ? undefined : opts.res;
    const cookies = cookieJar(services.env, res);
    const sameOrigin = isSameOrigin(raw);
    const identity = await identify(services, raw, cookies, { allowCookie: !isWs || sameOrigin });
    const params = opts.info.connectionParams;
    const csrfToken = isWs
      ? typeof params?.csrfToken === 'string'
        ? params.csrfToken
        : undefined
      : header(raw, CSRF_HEADER);
    const requestId = fastifyReq?.id ?? String(header(raw, 'x-request-id') ?? 'ws');
    return {
      ...services,
      prisma: services.db.prisma,
      requestId,
      ip: fastifyReq?.ip ?? raw.socket.remoteAddress ?? 'unknown',
      userAgent: header(raw, 'user-agent'),
      transport: isWs ? 'ws' : 'http',
      log: fastifyReq?.log ?? services.log.child({ reqId: requestId, transport: 'ws' }),
      ...identity,
      sameOrigin,
      csrfToken,
      cookies,
      req: fastifyReq,
    };
  };
}
