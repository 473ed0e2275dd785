// Test harness: a real server on a real database (embedded PGlite in a temp folder, or PostgreSQL
// when TEST_DATABASE_URL names one), a movable clock, and small helpers to call tRPC like a browser.
import { type BackendKind, type Database, openTestDatabase } from '@candleflow/db';
import type { AnyRouter } from '@trpc/server';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type BuildServerOptions, buildServer } from '../app';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../auth/sessions';
import { testEnv } from '../env';
import { createMetrics } from '../metrics';

export const HOST = 'candleflow.test';
export const ORIGIN = `http://${HOST}`;
export const GOOD_PASSWORD = 'correct horse battery staple';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly db: Database;
  /** Moves the server's clock (sessions, tokens) forward. */
  advance(ms: number): void;
  now(): Date;
  /** Closes the database under the running server (to test what clients see when it is down). */
  stopDatabase(): Promise<void>;
  close(): Promise<void>;
}

export interface Caller {
  readonly session?: string | undefined;
  readonly csrf?: string | undefined;
  readonly token?: string | undefined;
  readonly origin?: string | null;
  readonly headers?: Record<string, string>;
}

export interface TrpcResult<T = unknown> {
  readonly status: number;
  readonly data: T;
  readonly error:
    | { message: string; code: number; data: { code: string; requestId?: string; details?: unknown } }
    | undefined;
  readonly res: LightMyRequestResponse;
}

/** A fresh migrated database per server: a temporary PGlite, or a throwaway PostgreSQL database. */
export async function openServerTestDatabase(
  backend: BackendKind = 'pglite',
): Promise<{ db: Database; dispose: () => Promise<void> }> {
  const db = await openTestDatabase(backend);
  let closed = false;
  return {
    db,
    dispose: async () => {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

export async function startTestServer(
  options: Partial<Omit<BuildServerOptions, 'env' | 'db'>> & {
    env?: Record<string, string>;
    router?: AnyRouter;
    backend?: BackendKind;
  } = {},
): Promise<TestServer> {
  const { backend, ...serverOptions } = options;
  const { db, dispose } = await openServerTestDatabase(backend);
  let now = new Date('2030-01-01T00:00:00Z').getTime();
  const { env: envOverrides, ...rest } = serverOptions;
  const app = await buildServer({
    env: testEnv(envOverrides),
    db,
    clock: () => new Date(now),
    metrics: createMetrics(),
    ...rest,
  });
  return {
    app,
    db,
    advance: (ms) => {
      now += ms;
    },
    now: () => new Date(now),
    stopDatabase: dispose,
    close: async () => {
      await app.close();
      await dispose();
    },
  };
}

function headersFor(caller: Caller, method: 'GET' | 'POST'): Record<string, string> {
  const headers: Record<string, string> = { host: HOST, ...(caller.headers ?? {}) };
  if (caller.origin !== null && method === 'POST') headers.origin = caller.origin ?? ORIGIN;
  const cookies: string[] = [];
  if (caller.session) cookies.push(`${SESSION_COOKIE}=${caller.session}`);
  if (caller.csrf) cookies.push(`${CSRF_COOKIE}=${caller.csrf}`);
  if (cookies.length) headers.cookie = cookies.join('; ');
  if (caller.csrf) headers[CSRF_HEADER] = caller.csrf;
  if (caller.token) headers.authorization = `Bearer ${caller.token}`;
  return headers;
}

function result<T>(res: LightMyRequestResponse): TrpcResult<T> {
  const body = res.json() as { result?: { data: T }; error?: TrpcResult['error'] };
  return { status: res.statusCode, data: body.result?.data as T, error: body.error, res };
}

export async function query<T = unknown>(
  app: FastifyInstance,
  path: string,
  input?: unknown,
  caller: Caller = {},
) {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await app.inject({
    method: 'GET',
    url: `/trpc/${path}${qs}`,
    headers: headersFor(caller, 'GET'),
  });
  return result<T>(res);
}

export async function mutate<T = unknown>(
  app: FastifyInstance,
  path: string,
  input?: unknown,
  caller: Caller = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: `/trpc/${path}`,
    headers: { ...headersFor(caller, 'POST'), 'content-type': 'application/json' },
    payload: input === undefined ? '' : JSON.stringify(input),
  });
  return result<T>(res);
}

export function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

/** Signs up (the first account of a server is its admin) and returns a browser-like caller. */
export async function signUp(app: FastifyInstance, email: string, password = GOOD_PASSWORD) {
  const res = await mutate<{ user: { id: string; role: string }; csrfToken: string }>(app, 'auth.signUp', {
    email,
    password,
  });
  if (res.error) throw new Error(`sign-up of ${email} failed: ${res.error.message}`);
  const session = cookieValue(res.res, SESSION_COOKIE);
  return { user: res.data.user, caller: { session, csrf: res.data.csrfToken } satisfies Caller };
}

/** Deep search for anything that looks like a stack trace or an internal error message. */
export function leaksInternals(body: string): boolean {
  return /\bat [\w.<>]+ \(|node:internal|\.ts:\d+|\.js:\d+|stack"|Prisma|PrismaClient/i.test(body);
}
