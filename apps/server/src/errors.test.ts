import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { API_ERROR_STATUS, ApiError, normaliseError } from './errors';

describe('normaliseError', () => {
  it('keeps an ApiError’s code, message, details and status', () => {
    const n = normaliseError(
      new ApiError('GRAPH_TOO_LARGE', 'Too many nodes.', { nodes: 10_000, max: 2000 }),
      'r1',
    );
    expect(n).toEqual({
      status: 422,
      unexpected: false,
      body: {
        code: 'GRAPH_TOO_LARGE',
        message: 'Too many nodes.',
        details: { nodes: 10_000, max: 2000 },
        requestId: 'r1',
      },
    });
  });

  it('turns zod errors (direct or as a tRPC cause) into VALIDATION_FAILED with dotted paths', () => {
    const schema = z.object({ graph: z.object({ nodes: z.array(z.object({ id: z.string() })) }) }).strict();
    const error = schema.safeParse({ graph: { nodes: [{ id: 1 }] }, x: 1 }).error!;
    for (const thrown of [error, new TRPCError({ code: 'BAD_REQUEST', cause: error })]) {
      const n = normaliseError(thrown);
      expect(n.status).toBe(400);
      expect(n.body.code).toBe('VALIDATION_FAILED');
      const paths = (n.body.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
      expect(paths.sort()).toEqual(['graph.nodes.0.id', 'x']);
      expect(n.body.message).toMatch(/\(and 1 more problem\)\.$/);
    }
  });

  it('maps deliberate tRPC errors to stable codes', () => {
    expect(normaliseError(new TRPCError({ code: 'NOT_FOUND', message: 'No procedure' })).body.code).toBe(
      'NOT_FOUND',
    );
    expect(normaliseError(new TRPCError({ code: 'TOO_MANY_REQUESTS' })).status).toBe(429);
    expect(normaliseError(new TRPCError({ code: 'METHOD_NOT_SUPPORTED' })).body.code).toBe(
      'METHOD_NOT_ALLOWED',
    );
  });

  it('hides unexpected errors, whatever they say', () => {
    const secret = new Error('password=hunter2 at db.internal:5432');
    for (const thrown of [
      secret,
      new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: secret }),
      'a string',
      null,
    ]) {
      const n = normaliseError(thrown, 'req-9');
      expect(n.status).toBe(500);
      expect(n.unexpected).toBe(true);
      expect(n.body.code).toBe('INTERNAL');
      expect(JSON.stringify(n.body)).not.toMatch(/hunter2|db\.internal|stack/);
      expect(n.body.message).toContain('req-9');
    }
  });

  it('maps Fastify request errors (body size, media type, bad JSON)', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(normaliseError(tooLarge).body.code).toBe('PAYLOAD_TOO_LARGE');
    const media = Object.assign(new Error('Unsupported Media Type'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    expect(normaliseError(media).status).toBe(415);
    const badJson = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), {
      statusCode: 400,
    });
    const n = normaliseError(badJson);
    expect(n.body.code).toBe('MALFORMED_JSON');
    expect(n.body.message).not.toMatch(/position/);
    expect(normaliseError(Object.assign(new Error('slow down'), { statusCode: 429 })).body.code).toBe(
      'RATE_LIMITED',
    );
  });

  it('gives every code an HTTP status in the 4xx/5xx range', () => {
    for (const status of Object.values(API_ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });
});
