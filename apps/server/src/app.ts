// Assembles the HTTP server: logging with request ids, security headers, rate limits, body limits,
// cookies, tRPC over HTTP and WebSocket, health/readiness/metrics, and the one error format.
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import type { AnyRouter, TRPCError } from '@trpc/server';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { type AttemptLimiter, type Clock, contextFactory, type ServerServices } from './context';
import type { Database } from './db';
import type { Env } from './env';
import { ApiError, type ApiErrorBody, normaliseError } from './errors';
import { meteredQueue, recordQueueDepth } from './metered-queue';
import { type Metrics, metrics as processMetrics } from './metrics';
import type { JobQueue } from '@candleflow/runner';
import { appRouter } from './routers';
import { ADDRESS_BUDGET_PREFIX } from './routers/auth/session-cookies';
import { registerPublicApi } from './routers/public-api/plugin';
import { errorRequestIds } from './trpc';

/** A dependency /ready must reach (Redis, a runner, ...); it throws when unreachable. */
export interface ReadinessCheck {
  readonly name: string;
  readonly check: () => Promise<void>;
}

export interface BuildServerOptions {
  readonly env: Env;
  readonly db: Database;
  /** apps/runner's JobQueue; routers that submit jobs read it from the context. */
  readonly queue?: JobQueue;
  /** A pino logger to use instead of one made from LOG_LEVEL. */
  readonly logger?: FastifyBaseLogger;
  /** Time source for sessions and tokens; tests move it forward. */
  readonly clock?: Clock;
  /** Extra /ready checks; the database is always checked. */
  readonly readiness?: readonly ReadinessCheck[];
  readonly metrics?: Metrics;
  /** Defaults to the app's router; tests may mount a router of their own. */
  readonly router?: AnyRouter;
  /** Attempts per minute per IP and email on login and sign-up (default 5). */
  readonly authAttemptsPerMinute?: number;
}

export const TRPC_PREFIX = '/trpc';
const READY_TIMEOUT_MS = 2000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Stable error codes per request, so metrics and logs can name them after the response is sent. */
const errorCodes = new WeakMap<object, string>();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function trpcEnvelope(status: number, body: ApiErrorBody) {
  // The same envelope tRPC itself sends, so tRPC clients can read errors raised before tRPC ran
  // (body too large, rate limited).
  const jsonRpc: Record<number, number> = {
    400: -32600,
    401: -32001,
    403: -32003,
    404: -32004,
    413: -32013,
    429: -32029,
  };
  return {
    error: { message: body.message, code: jsonRpc[status] ?? -32603, data: { ...body, httpStatus: status } },
  };
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { env, db } = options;
  const metrics = options.metrics ?? processMetrics;
  const router = options.router ?? appRouter;
  const procedures = new Set(
    Object.keys((router._def as { procedures: Record<string, unknown> }).procedures),
  );

  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger }
      : {
          logger: {
            level: env.LOG_LEVEL,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
          },
        }),
    bodyLimit: env.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    // Honour a caller's (or proxy's) x-request-id when it is a sane token, so logs join up across hops.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = routeLabel(req, procedures);
    const status = String(reply.statusCode);
    metrics.httpDuration.observe({ method: req.method, route, status }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) {
      metrics.httpErrors.inc({ route, code: errorCodes.get(req) ?? `HTTP_${status}` });
    }
  });

  app.setErrorHandler((error, req, reply) => {
    const { status, body, unexpected } = normaliseError(error, req.id);
    errorCodes.set(req, body.code);
    if (unexpected) req.log.error({ err: error }, 'unexpected error');
    else req.log.info({ code: body.code }, body.message);
    const payload = req.url.startsWith(`${TRPC_PREFIX}/`) ? trpcEnvelope(status, body) : { error: body };
    if (status === 429) reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    return reply.status(status).send(payload);
  });

  app.setNotFoundHandler((req, reply) => {
    errorCodes.set(req, 'NOT_FOUND');
    return reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `No route ${req.method} ${req.url.split('?')[0]}.`,
        requestId: req.id,
      },
    });
  });

  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: {
      // Upgrading to https would break a plain-http development server reached by LAN address.
      directives: { upgradeInsecureRequests: env.NODE_ENV === 'production' ? [] : null },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: true,
    max: env.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Thrown as the error; the shared handler turns it into RATE_LIMITED.
    errorResponseBuilder: (_req, context) =>
      Object.assign(new Error(`Too many requests; retry in ${context.after}.`), { statusCode: 429 }),
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: env.BODY_LIMIT_BYTES } });

  const authKeys = new WeakMap<object, string>();
  const authLimit = app.createRateLimit({
    max: options.authAttemptsPerMinute ?? 5,
    timeWindow: 60_000,
    keyGenerator: (req) => authKeys.get(req) ?? `auth:${req.ip}`,
  });
  // Per-address budgets (whatever the email), so one address cannot spray logins across accounts
  // or mass-create accounts while staying under the per-(address, email) limit.
  const addressLimits: Record<string, ReturnType<typeof app.createRateLimit>> = {
    [`${ADDRESS_BUDGET_PREFIX}login`]: app.createRateLimit({
      max: env.RATE_LIMIT_LOGIN_PER_ADDRESS,
      timeWindow: env.RATE_LIMIT_LOGIN_WINDOW_MINUTES * 60_000,
      keyGenerator: (req) => `auth-address:login:${req.ip}`,
    }),
    [`${ADDRESS_BUDGET_PREFIX}sign-up`]: app.createRateLimit({
      max: env.RATE_LIMIT_SIGNUP_PER_ADDRESS,
      timeWindow: env.RATE_LIMIT_SIGNUP_WINDOW_MINUTES * 60_000,
      keyGenerator: (req) => `auth-address:sign-up:${req.ip}`,
    }),
  };
  const limitAuthAttempt: AttemptLimiter = async (ctx, key) => {
    if (!ctx.req) return { allowed: false, retryAfterSeconds: 0 };
    let limiter = addressLimits[key];
    if (!limiter) {
      if (key.startsWith(ADDRESS_BUDGET_PREFIX)) throw new Error(`no per-address auth budget named "${key}"`);
      authKeys.set(ctx.req, `auth:${ctx.ip}:${key.trim().toLowerCase()}`);
      limiter = authLimit;
    }
    const result = await limiter(ctx.req);
    // The checker reports isAllowed only for allow-listed keys; isExceeded is the verdict.
    return result.isAllowed || !result.isExceeded
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: result.ttlInSeconds };
  };

  const queue = options.queue === undefined ? undefined : meteredQueue(options.queue, metrics);
  const services: ServerServices = {
    env,
    db,
    clock: options.clock ?? (() => new Date()),
    queue,
    limitAuthAttempt,
    log: app.log,
  };

  await app.register(fastifyTRPCPlugin, {
    prefix: TRPC_PREFIX,
    useWSS: true,
    trpcOptions: {
      router,
      createContext: contextFactory(services),
      keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
      // A procedure's RATE_LIMITED error carries its wait; say it in Retry-After too, as HTTP clients expect.
      responseMeta({ errors }: { errors: readonly TRPCError[] }) {
        const waits = errors.map(retryAfterSeconds).filter((s) => s !== undefined);
        return waits.length ? { headers: new Headers({ 'retry-after': String(Math.max(...waits)) }) } : {};
      },
      onError({ error, req, path }: { error: TRPCError; req: unknown; path?: string | undefined }) {
        const fastifyReq = req as FastifyRequest | undefined;
        const requestId = typeof fastifyReq?.id === 'string' ? fastifyReq.id : undefined;
        if (requestId) errorRequestIds.set(error, requestId);
        const { body, unexpected } = normaliseError(error, requestId);
        if (fastifyReq && typeof fastifyReq === 'object' && 'raw' in fastifyReq)
          errorCodes.set(fastifyReq, body.code);
        const log = fastifyReq && 'log' in fastifyReq ? fastifyReq.log : app.log;
        if (unexpected) log.error({ err: error.cause ?? error, path }, 'unexpected error in procedure');
      },
    },
  });

  app.get('/health', { config: { rateLimit: false } }, async () => ({
    status: 'ok',
    uptimeSeconds: Math.round(process.uptime()),
  }));

  const checks: ReadinessCheck[] = [
    {
      name: 'database',
      check: async () => {
        await db.prisma.$queryRawUnsafe('SELECT 1');
      },
    },
    ...(options.readiness ?? []),
  ];
  app.get('/ready', { config: { rateLimit: false } }, async (req, reply) => {
    const results: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), READY_TIMEOUT_MS, name);
          results[name] = 'ok';
        } catch (err) {
          ready = false;
          results[name] = 'unavailable';
          req.log.warn({ err, check: name }, 'readiness check failed');
        }
      }),
    );
    if (!ready) errorCodes.set(req, 'UNAVAILABLE');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: results });
  });

  app.get('/metrics', { config: { rateLimit: false } }, async (_req, reply) => {
    if (queue !== undefined) await recordQueueDepth(queue, metrics);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // The public HTTP API for programs (API tokens, /api/v1, OpenAPI at /api/openapi.json, docs at /api/docs).
  await registerPublicApi(app, { env, db: options.db, queue, clock: services.clock });
  return app;
}

/** The wait a RATE_LIMITED ApiError names in its details, in whole seconds. */
function retryAfterSeconds(error: TRPCError): number | undefined {
  if (!(error instanceof ApiError) || error.apiCode !== 'RATE_LIMITED') return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? Math.max(1, Math.ceil(seconds))
    : undefined;
}

/** A bounded metrics label: the route pattern, or for tRPC the procedure when it exists. */
function routeLabel(req: FastifyRequest, procedures: ReadonlySet<string>): string {
  const pattern = req.routeOptions.url;
  if (!pattern) return 'unmatched';
  if (pattern === `${TRPC_PREFIX}/:path`) {
    const path = (req.params as { path?: string }).path ?? '';
    if (path.includes(',')) return `${TRPC_PREFIX}/(batch)`;
    return procedures.has(path) ? `${TRPC_PREFIX}/${path}` : `${TRPC_PREFIX}/(unknown)`;
  }
  return pattern;
}
