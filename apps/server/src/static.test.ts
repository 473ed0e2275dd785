import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, isServerPath, registerStudio, resolveInside } from './static';
import { startTestServer, type TestServer } from './test-support/server';

const INDEX =
  '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>';
const SECRET = 'PRIVATE-CONTENT-OUTSIDE-DIST';
const BUNDLE = `console.log(${JSON.stringify('x'.repeat(4000))});`;

function makeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-studio-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), BUNDLE);
  writeFileSync(join(dir, 'assets', 'style-def456.css'), 'body{margin:0}');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(tmpdir(), 'cf-secret.txt'), SECRET);
  return dir;
}

/** The routes the platform server owns, plus its JSON not-found handler, in miniature. */
async function miniServer(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}` } }),
  );
  app.get('/trpc/:path', async () => ({ result: { data: 'procedure' } }));
  app.get('/api/docs', async (_req, reply) => reply.type('text/html').send('<h1>docs</h1>'));
  app.get('/health', async () => ({ status: 'ok' }));
  await registerStudio(app, { distDir });
  return app;
}

describe('registerStudio', () => {
  let dist: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dist = makeDist();
    app = await miniServer(dist);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / with revalidation', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(INDEX);
  });

  it('falls back to index.html for client routes such as /strategies/abc', async () => {
    for (const url of ['/strategies/abc', '/runs/r1?tab=trades', '/compare/a/b', '/settings']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('serves hashed assets as JavaScript cached for a year', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe(BUNDLE);
  });

  it('serves CSS and top-level files with their own content types', async () => {
    const css = await app.inject({ method: 'GET', url: '/assets/style-def456.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('gzips text assets for clients that accept it', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toBe(BUNDLE);
    expect(res.rawPayload.length).toBeLessThan(BUNDLE.length);
  });

  it('answers 304 when the browser already has the same file', async () => {
    const first = await app.inject({ method: 'GET', url: '/' });
    const etag = String(first.headers.etag);
    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('leaves /trpc and /api routes to the server', async () => {
    const trpc = await app.inject({ method: 'GET', url: '/trpc/auth.me' });
    expect(trpc.json()).toEqual({ result: { data: 'procedure' } });
    const docs = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.body).toBe('<h1>docs</h1>');
  });

  it('keeps misses under server prefixes as JSON 404s, not the studio page', async () => {
    for (const url of ['/trpc', '/api/v1/nothing', '/health/deep', '/metrics/x']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('answers 404 for missing files rather than the page', async () => {
    for (const url of ['/assets/gone-000.js', '/favicon.ico', '/assets/deep/path']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('never serves files outside the build folder', async () => {
    for (const url of ['/../cf-secret.txt', '/%2e%2e/cf-secret.txt', '/assets/%2e%2e/%2e%2e/cf-secret.txt']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain(SECRET);
    }
  });
});

describe('registerStudio without a build', () => {
  it('tells the operator how to build the studio', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cf-nostudio-'));
    const app = await miniServer(empty);
    try {
      const res = await app.inject({ method: 'GET', url: '/strategies/x' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build -w @candleflow/web');
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('registerStudio on the platform server', () => {
  let server: TestServer;
  let dist: string;
  beforeAll(async () => {
    dist = makeDist();
    server = await startTestServer();
    await registerStudio(server.app, { distDir: dist });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the page under helmet with a CSP that allows its own scripts', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/runs/abc' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('still answers tRPC and the probes', async () => {
    const me = await server.app.inject({ method: 'GET', url: '/trpc/auth.me', headers: { host: 'x.test' } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ result: { data: { user: null } } });
    const unknown = await server.app.inject({ method: 'GET', url: '/trpc/no.such' });
    expect(unknown.statusCode).toBe(404);
    const health = await server.app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok' });
  });
});

describe('static helpers', () => {
  it('names content types by extension, octet-stream for the unknown', () => {
    expect(contentTypeFor('a/b/app.MJS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('font.woff2')).toBe('font/woff2');
    expect(contentTypeFor('blob.bin')).toBe('application/octet-stream');
  });

  it('recognises server prefixes only at a path boundary', () => {
    expect(isServerPath('/trpc')).toBe(true);
    expect(isServerPath('/api/docs')).toBe(true);
    expect(isServerPath('/apiary')).toBe(false);
    expect(isServerPath('/strategies/api')).toBe(false);
  });

  it('refuses paths that escape the folder or are malformed', () => {
    expect(resolveInside('/srv/dist', '/assets/a.js')).toBe('/srv/dist/assets/a.js');
    expect(resolveInside('/srv/dist', '/../etc/passwd')).toBeNull();
    expect(resolveInside('/srv/dist', '/assets/%2e%2e/%2e%2e/x')).toBeNull();
    expect(resolveInside('/srv/dist', '/%E0%A4%A')).toBeNull();
    expect(resolveInside('/srv/dist', '/a%00b')).toBeNull();
  });
});
