// The public HTTP API for programs under /api/v1, authenticated with personal API tokens. Each route
// calls the same tRPC procedure (same zod input schema, same handler, same checks) through a server-side
// caller; /api/openapi.json and the interactive docs at /api/docs describe it.
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Clock, contextFactory, type ServerServices } from '../../context';
import type { Database } from '../../db';
import type { Env } from '../../env';
import { ApiError } from '../../errors';
import { buildOpenApiDocument } from '../../openapi/document';
import { createCallerFactory } from '../../trpc';
import { appRouter } from '../index';

export const PUBLIC_API_PREFIX = '/api/v1';
export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

export interface PublicApiOptions {
  readonly env: Env;
  readonly db: Database;
  readonly queue?: unknown;
  readonly clock?: Clock;
}

const createCaller = createCallerFactory(appRouter);

/** Query-string values arrive as text; numbers the schemas expect are converted, nothing else is touched. */
function numericQuery(query: unknown, numeric: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(query as Record<string, unknown>) };
  for (const key of numeric) {
    const value = out[key];
    if (typeof value === 'string' && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

async function uploadInput(req: FastifyRequest): Promise<Record<string, unknown>> {
  if (req.isMultipart()) {
    const fields: Record<string, unknown> = {};
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (fields.csv !== undefined) throw new ApiError('VALIDATION_FAILED', 'Send one file per upload.');
          fields.csv = (await part.toBuffer()).toString('utf8');
          if (part.filename && fields.fileName === undefined) fields.fileName = part.filename;
        } else {
          fields[part.fieldname] = part.value;
        }
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new ApiError(
          'PAYLOAD_TOO_LARGE',
          'The file is larger than the upload limit; split it or use a higher timeframe.',
        );
      }
      throw error;
    }
    if (fields.csv === undefined) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'The upload has no file: send the CSV as a multipart part named "file".',
        {
          issues: [{ path: 'file', code: 'missing', message: 'no file part' }],
        },
      );
    }
    return fields;
  }
  if (typeof req.body === 'string') return { ...(req.query as Record<string, unknown>), csv: req.body };
  return req.body as Record<string, unknown>;
}

/**
 * Adds /api/v1, /api/openapi.json and /api/docs to a server made by buildServer (before it listens).
 * Only API tokens authenticate here: a browser's cookie is not accepted, so no CSRF surface exists.
 */
export async function registerPublicApi(app: FastifyInstance, options: PublicApiOptions): Promise<void> {
  const { env } = options;
  const services: ServerServices = {
    env,
    db: options.db,
    clock: options.clock ?? (() => new Date()),
    queue: options.queue,
    // Sign-up and login are not part of this API.
    limitAuthAttempt: async () => ({ allowed: false, retryAfterSeconds: 60 }),
    log: app.log,
  };
  const createContext = contextFactory(services);

  async function callerFor(req: FastifyRequest, reply: FastifyReply) {
    const ctx = await createContext({ req, res: reply, info: { connectionParams: null } as never });
    if (ctx.auth?.kind !== 'apiToken') {
      throw new ApiError(
        'UNAUTHORIZED',
        ctx.authProblem && ctx.auth === null && req.headers.authorization
          ? ctx.authProblem
          : 'Send a personal API token as "Authorization: Bearer <token>" (create one under Settings → API tokens).',
      );
    }
    return createCaller(ctx);
  }

  const document = buildOpenApiDocument();

  await app.register(
    async (api) => {
      await api.register(fastifyMultipart, {
        limits: { fileSize: env.UPLOAD_LIMIT_BYTES, files: 1, fields: 10, fieldSize: 1024 },
      });
      api.addContentTypeParser(
        ['text/csv', 'text/plain'],
        { parseAs: 'string', bodyLimit: env.UPLOAD_LIMIT_BYTES },
        (_req, body, done) => done(null, body),
      );

      api.get('/strategies', async (req, reply) =>
        (await callerFor(req, reply)).strategies.list(numericQuery(req.query, ['limit']) as never),
      );
      api.get<{ Params: { id: string } }>('/strategies/:id', async (req, reply) =>
        (await callerFor(req, reply)).strategies.get({ id: req.params.id }),
      );
      api.post('/datasets', { bodyLimit: env.UPLOAD_LIMIT_BYTES }, async (req, reply) => {
        const caller = await callerFor(req, reply);
        const dataset = await caller.datasets.importCsv((await uploadInput(req)) as never);
        return reply.status(201).send(dataset);
      });
      api.post('/backtests', async (req, reply) => {
        const run = await (await callerFor(req, reply)).backtests.submit(req.body as never);
        return reply.status(run.servedFromCache ? 200 : 202).send(run);
      });
      api.get<{ Params: { id: string } }>('/backtests/:id', async (req, reply) =>
        (await callerFor(req, reply)).backtests.get({ id: req.params.id }),
      );
      api.get<{ Params: { id: string } }>('/backtests/:id/result', async (req, reply) =>
        (await callerFor(req, reply)).backtests.result({ id: req.params.id }),
      );
      api.post('/optimizations', async (req, reply) => {
        const caller = await callerFor(req, reply);
        const { id } = await caller.optimizations.submit(req.body as never);
        return reply.status(202).send(await caller.optimizations.get({ id }));
      });
      api.get<{ Params: { id: string } }>('/optimizations/:id', async (req, reply) =>
        (await callerFor(req, reply)).optimizations.get({ id: req.params.id }),
      );
      api.get<{ Params: { id: string } }>('/optimizations/:id/trials', async (req, reply) =>
        (await callerFor(req, reply)).optimizations.trials({
          ...numericQuery(req.query, ['fold', 'limit', 'offset']),
          id: req.params.id,
        } as never),
      );
    },
    { prefix: PUBLIC_API_PREFIX },
  );

  app.get(OPENAPI_PATH, async () => document);
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PATH });
}
