import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksInternals, mutate, query, startTestServer, type TestServer } from './test-support/server';
import { publicProcedure, router } from './trpc';

// A router with the failure modes the shared error handling must cover.
const testRouter = router({
  echo: publicProcedure
    .input(z.object({ name: z.string().min(1), count: z.number().int() }).strict())
    .mutation(({ input }) => input),
  crash: publicProcedure.query(() => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:5432 at secret/internal/path.ts:42');
  }),
});

describe('buildServer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ router: testRouter, env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers /health while the process is up', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });

  it('reports /ready when the database answers', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('sends security headers from helmet on every response', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('returns a fresh request id, or honours a well-formed x-request-id', async () => {
    const fresh = await server.app.inject({ method: 'GET', url: '/health' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await server.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(given.headers['x-request-id']).toBe('trace-123');
    const hostile = await server.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(hostile.headers['x-request-id']).not.toContain('bad id');
  });

  it('refuses a body over BODY_LIMIT_BYTES with PAYLOAD_TOO_LARGE', async () => {
    const res = await mutate(server.app, 'echo', { name: 'x'.repeat(4096), count: 1 });
    expect(res.status).toBe(413);
    expect(res.error?.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.error?.message).toMatch(/larger than this server accepts/);
  });

  it('answers malformed JSON with MALFORMED_JSON and no parser internals', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/trpc/echo',
      headers: { 'content-type': 'application/json', host: 'candleflow.test' },
      payload: '{"name": "a", count: ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.data.code).toBe('MALFORMED_JSON');
    expect(leaksInternals(res.body)).toBe(false);
  });

  it('names unknown fields and wrong types with their paths', async () => {
    const unknown = await mutate(server.app, 'echo', { name: 'a', count: 1, admin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.error?.data.code).toBe('VALIDATION_FAILED');
    expect(unknown.error?.data.details).toEqual({
      issues: [{ path: 'admin', code: 'unrecognized_keys', message: 'unknown field "admin"; remove it' }],
    });

    const wrongType = await mutate(server.app, 'echo', { name: 'a', count: 'three' });
    expect(wrongType.error?.data.code).toBe('VALIDATION_FAILED');
    expect(wrongType.error?.message).toMatch(/^Invalid input at count: /);
    expect(wrongType.error?.data.details).toMatchObject({
      issues: [{ path: 'count', code: 'invalid_type' }],
    });
  });

  it('hides unexpected errors behind INTERNAL and the request id', async () => {
    const res = await query(server.app, 'crash', undefined, { headers: { 'x-request-id': 'req-crash-1' } });
    expect(res.status).toBe(500);
    expect(res.error?.data).toMatchObject({ code: 'INTERNAL', requestId: 'req-crash-1' });
    expect(res.error?.message).toMatch(/request id req-crash-1/);
    expect(res.res.body).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|secret/);
    expect(leaksInternals(res.res.body)).toBe(false);
  });

  it('answers unknown routes and procedures with NOT_FOUND', async () => {
    const route = await server.app.inject({ method: 'GET', url: '/nope' });
    expect(route.statusCode).toBe(404);
    expect(route.json().error.code).toBe('NOT_FOUND');
    const procedure = await query(server.app, 'nope.missing');
    expect(procedure.status).toBe(404);
    expect(procedure.error?.data.code).toBe('NOT_FOUND');
  });

  it('exposes the HTTP latency histogram on /metrics after a request', async () => {
    await query(server.app, 'crash');
    const res = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(
      /candleflow_http_request_duration_seconds_bucket\{.*route="\/health".*status="200"/,
    );
    expect(res.body).toMatch(/candleflow_http_errors_total\{route="\/trpc\/crash",code="INTERNAL"\} \d/);
    expect(res.body).toMatch(/# TYPE candleflow_job_duration_seconds histogram/);
    expect(res.body).toMatch(/# TYPE candleflow_queue_depth gauge/);
    expect(res.body).toMatch(/# TYPE candleflow_backtests_total counter/);
  });

  it('never puts a stack trace in any error response', async () => {
    const responses = await Promise.all([
      server.app.inject({
        method: 'POST',
        url: '/trpc/echo',
        payload: '{',
        headers: { 'content-type': 'application/json' },
      }),
      server.app.inject({ method: 'GET', url: '/trpc/crash' }),
      server.app.inject({ method: 'GET', url: '/trpc/echo' }),
      server.app.inject({
        method: 'POST',
        url: '/trpc/echo',
        payload: '[1,2]',
        headers: { 'content-type': 'application/json' },
      }),
      server.app.inject({ method: 'GET', url: '/does-not-exist' }),
    ]);
    for (const res of responses) {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(leaksInternals(res.body), res.body).toBe(false);
    }
  });
});

describe('readiness', () => {
  it('fails /ready with 503 when the database is down, and names a failing extra check', async () => {
    const server = await startTestServer({
      readiness: [{ name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED')) }],
    });
    try {
      const withRedisDown = await server.app.inject({ method: 'GET', url: '/ready' });
      expect(withRedisDown.statusCode).toBe(503);
      expect(withRedisDown.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'ok', redis: 'unavailable' },
      });

      await server.stopDatabase();
      const withDbDown = await server.app.inject({ method: 'GET', url: '/ready' });
      expect(withDbDown.statusCode).toBe(503);
      expect(withDbDown.json().checks.database).toBe('unavailable');
      const health = await server.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('global rate limit', () => {
  it('answers RATE_LIMITED once a client exceeds RATE_LIMIT_PER_MINUTE', async () => {
    const server = await startTestServer({ router: testRouter, env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await query(server.app, 'crash')).status);
      expect(statuses).toEqual([500, 500, 500, 429]);
      const limited = await query(server.app, 'crash');
      expect(limited.error?.data.code).toBe('RATE_LIMITED');
      expect((await server.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });
});
