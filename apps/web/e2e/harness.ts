/// <reference types="node" />
// Shared by the browser tests and the canvas benchmark: builds the studio, starts the real platform
// server on a fresh data directory, launches Debian's Chromium through playwright-core, and talks to
// the server's tRPC API with a browser context's cookies.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const WEB_DIR = join(REPO_ROOT, 'apps', 'web');
export const ARTIFACTS_DIR = join(WEB_DIR, 'e2e', 'artifacts');
export const CHROMIUM_PATH = '/usr/bin/chromium';
/**
 * The flags the issue asks for. Playwright adds `--headless` (headless: true) and a fresh
 * `--user-data-dir` in a temporary folder for every launch; it refuses that flag in `args`.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

function run(command: string, args: readonly string[], cwd: string, what: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (exit ${result.status ?? result.signal}); run \`${command} ${args.join(' ')}\` in ${cwd} to see why:\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** Builds apps/web/dist (Vite takes about a second) and makes sure the server's Prisma client exists. */
export function buildStudio(): void {
  run(process.execPath, [join(REPO_ROOT, 'tools', 'prisma-generate.mjs')], REPO_ROOT, 'Prisma generate');
  run('npm', ['run', 'build', '--workspace', '@candleflow/web'], REPO_ROOT, 'The studio build');
  if (!existsSync(join(WEB_DIR, 'dist', 'index.html'))) {
    throw new Error(`The studio build left no ${join(WEB_DIR, 'dist', 'index.html')}`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  /** The server's stdout and stderr so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `node --import tsx apps/server/src/main.ts` on 127.0.0.1 with a new, empty data directory
 * (so a new embedded database) and waits until /ready answers. No demo seed unless asked: the first
 * account signed up is then the administrator.
 */
export async function startServer(env: Record<string, string> = {}, readyTimeoutMs = 90_000) {
  const dataDir = mkdtempSync(join(tmpdir(), 'candleflow-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    // Enough to explain a failure; a chatty server must not grow the test's memory without end.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | string | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );

  const started = Date.now();
  for (;;) {
    if (exited !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`The platform server exited (${exited}) before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/ready`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`The platform server at ${url} was not ready after ${readyTimeoutMs} ms:\n${output}`);
    }
    await sleep(250);
  }

  const server: RunningServer = {
    url,
    dataDir,
    logs: () => output,
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Debian's Chromium, headless, with a fresh profile; fails with the fix when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's Chromium (sudo apt-get install -y chromium) or run \`node tools/test-setup.mjs\` as root.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/** Saves a PNG of the viewport (or the whole page) under apps/web/e2e/artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

export interface Api {
  query<T = unknown>(procedure: string, input?: unknown): Promise<T>;
  mutate<T = unknown>(procedure: string, input?: unknown): Promise<T>;
}

/**
 * tRPC over plain HTTP with the cookies of a browser context (the session of whoever signed in there),
 * the CSRF header mutations need, and the studio's origin so the server takes the cookie.
 */
export function apiFor(context: BrowserContext, baseUrl: string): Api {
  const unwrap = async <T>(procedure: string, res: Awaited<ReturnType<BrowserContext['request']['get']>>) => {
    const body = (await res.json()) as { result?: { data?: T }; error?: { message?: string } };
    if (!res.ok() || body.result === undefined) {
      throw new Error(
        `${procedure} answered ${res.status()}: ${body.error?.message ?? JSON.stringify(body)}`,
      );
    }
    return body.result.data as T;
  };
  return {
    async query<T>(procedure: string, input?: unknown) {
      const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await context.request.get(`${baseUrl}/trpc/${procedure}${qs}`, {
        headers: { origin: baseUrl },
      });
      return unwrap<T>(procedure, res);
    },
    async mutate<T>(procedure: string, input?: unknown) {
      const cookies = await context.cookies(baseUrl);
      const csrf = cookies.find((c) => c.name === 'cf_csrf')?.value ?? '';
      const res = await context.request.post(`${baseUrl}/trpc/${procedure}`, {
        headers: { origin: baseUrl, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        data: input === undefined ? '' : JSON.stringify(input),
      });
      return unwrap<T>(procedure, res);
    },
  };
}

/** Signs `who` up through the studio's form and waits until the studio shows them signed in. */
export async function signUp(page: Page, baseUrl: string, who: { email: string; password: string }) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByTestId('signup-email').fill(who.email);
  await page.getByTestId('signup-password').fill(who.password);
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('nav-user').filter({ hasText: who.email }).waitFor();
}
