// Serves the built studio (apps/web/dist) at `/`: hashed assets cached for a year, index.html for
// every client route (/strategies/…, /runs/…), and never in the way of /trpc, /api or the probes.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** apps/web/dist, next to this package in the monorepo. */
export const STUDIO_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths the server answers itself; a miss under them is a JSON 404, never the studio's page. */
export const SERVER_PREFIXES = ['/trpc', '/api', '/health', '/ready', '/metrics'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);
/** Vite names every file under assets/ by its content hash, so it can never change under a URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) must be revalidated so a new build is picked up at once. */
const REVALIDATE = 'no-cache';
const MIN_GZIP_BYTES = 1024;

export interface StudioOptions {
  /** The Vite build output holding index.html and assets/. */
  readonly distDir: string;
}

interface CachedFile {
  readonly key: string;
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly etag: string;
  readonly lastModified: string;
}

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** True for URLs the server's own routes own (so a miss there stays a 404). */
export function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** A URL path mapped inside distDir, or null for anything that would escape it or is malformed. */
export function resolveInside(distDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = resolve(distDir);
  const target = resolve(join(root, decoded));
  return target === root || target.startsWith(root + sep) ? target : null;
}

/**
 * Registers the studio on the app. Call it once from buildServer; routes the server defines itself
 * win over the catch-all because find-my-way prefers static paths to wildcards.
 */
export async function registerStudio(app: FastifyInstance, options: StudioOptions): Promise<void> {
  const root = resolve(options.distDir);
  const indexPath = join(root, 'index.html');
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<CachedFile | null> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    // Size and mtime in the key: a rebuild while the server runs is served without a restart.
    const key = `${info.size}:${info.mtimeMs}`;
    const hit = cache.get(path);
    if (hit && hit.key === key) return hit;
    const body = await readFile(path);
    const gzip =
      COMPRESSIBLE.has(extname(path).toLowerCase()) && body.length >= MIN_GZIP_BYTES
        ? gzipSync(body, { level: 9 })
        : null;
    const file: CachedFile = {
      key,
      body,
      gzip,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      lastModified: info.mtime.toUTCString(),
    };
    cache.set(path, file);
    return file;
  }

  function send(
    req: FastifyRequest,
    reply: FastifyReply,
    path: string,
    file: CachedFile,
    cacheControl: string,
  ) {
    reply
      .header('content-type', contentTypeFor(path))
      .header('cache-control', cacheControl)
      .header('etag', file.etag)
      .header('last-modified', file.lastModified)
      .header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === file.etag) return reply.status(304).send();
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (file.gzip && acceptsGzip) {
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  }

  async function sendIndex(req: FastifyRequest, reply: FastifyReply) {
    const file = await load(indexPath);
    if (!file) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          `The studio is not built: ${indexPath} is missing. Run "npm run build -w @candleflow/web" and reload.`,
        );
    }
    return send(req, reply, indexPath, file, REVALIDATE);
  }

  if (!existsSync(indexPath)) {
    app.log.warn({ distDir: root }, 'studio not built; / answers 503 until apps/web is built');
  }

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const pathname = (req.url.split('?')[0] ?? '/').replace(/\/{2,}/g, '/');
    if (isServerPath(pathname)) return reply.callNotFound();
    if (pathname === '/' || pathname === '/index.html') return sendIndex(req, reply);

    const target = resolveInside(root, pathname);
    if (!target) return reply.callNotFound();
    const file = await load(target);
    if (file) {
      const hashed = target.startsWith(join(root, 'assets') + sep);
      return send(req, reply, target, file, hashed ? IMMUTABLE : REVALIDATE);
    }
    // A missing file (a name with an extension, or anything under assets/) is a real 404; any
    // other path is a client route that the studio's router resolves from index.html.
    if (extname(pathname) !== '' || pathname.startsWith('/assets/')) return reply.callNotFound();
    return sendIndex(req, reply);
  };

  // Files are cheap to serve from memory and a page load fetches several: the API's rate limit
  // would only get in the way of people opening the studio.
  const config = { rateLimit: false } as const;
  app.get('/', { config }, handler);
  app.get('/*', { config }, handler);
}
