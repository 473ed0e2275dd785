// The production layout as deployed: the real apps/server/src/main.ts and a separate real
// apps/runner/src/main.ts as child processes on PostgreSQL and Redis, driven only through HTTP the
// way a script would (sign-up, API token, /api/v1), then stopped with SIGTERM like a container.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPostgresDatabase, type TestPostgresDatabase, testServices } from '@candleflow/db';
import { claimEmptyRedisDatabase } from '@candleflow/runner';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEMO_CSV = readFileSync(new URL('../../../examples/data/demo-btc-1h.csv', import.meta.url), 'utf8');
// Twenty days of hourly bars keep the backtest to well under a second.
const BARS = 24 * 20;
const SMALL_CSV = DEMO_CSV.split('\n')
  .slice(0, BARS + 1)
  .join('\n');
const PASSWORD = 'production layout passphrase';

/** A child process with its output kept (the tail is enough to explain a failure). */
interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(name: string, script: string, env: Record<string, string>): Child {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, process: child, output: () => output, exited };
}

/** Polls until check() gives a value; on timeout the error shows what each child printed. */
async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  children: readonly Child[],
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const child of children) {
      if (child.process.exitCode !== null) {
        throw new Error(
          `${child.name} exited (${child.process.exitCode}) while waiting for ${what}:\n${child.output()}`,
        );
      }
    }
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const logs = children.map((c) => `--- ${c.name}\n${c.output().slice(-4000)}`).join('\n');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The env module has no BullMQ prefix, so the processes get a Redis logical database of their own:
 * one of 1..15 that is empty now (keys in it afterwards are this test's).
 */
/** The Set-Cookie value of one cookie, as a browser would keep it. */
function cookie(res: Response, name: string): string {
  const found = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${res.status} response`);
  return found.slice(name.length + 1);
}

describe('production layout: server and runner processes on PostgreSQL and Redis', () => {
  let services: ReturnType<typeof testServices>;
  let database: TestPostgresDatabase;
  let redisUrl: string;
  let dataDir: string;
  let env: Record<string, string>;
  const children: Child[] = [];

  beforeAll(async () => {
    services = testServices();
    database = await createTestPostgresDatabase();
    redisUrl = await claimEmptyRedisDatabase(services.redisUrl);
    dataDir = mkdtempSync(join(tmpdir(), 'candleflow-production-'));
    env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SEED_DEMO: 'false',
      RUNNER_CONCURRENCY: '1',
    };
  });

  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    if (redisUrl) {
      // Only the database this test claimed, and only Candleflow's keys in it.
      const redis = new Redis(redisUrl);
      try {
        for await (const keys of redis.scanStream({ match: 'candleflow:*', count: 500 })) {
          if ((keys as string[]).length) await redis.del(...(keys as string[]));
        }
      } finally {
        redis.disconnect();
      }
    }
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a backtest submitted through /api/v1 on a separate runner, then both stop cleanly on SIGTERM', async () => {
    // Arrange: the server alone first (it migrates the empty database), so a job it accepts can only
    // be done by the runner started later.
    const server = start('server', 'apps/server/src/main.ts', env);
    children.push(server);
    const base = await waitFor(
      'the server to listen',
      () => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1],
      40_000,
      [server],
    );
    const ready = await fetch(`${base}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });

    const signUp = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: PASSWORD }),
    });
    expect(signUp.status).toBe(200);
    const csrf = ((await signUp.json()) as { result: { data: { csrfToken: string } } }).result.data.csrfToken;
    // Production cookies are Secure; a script on plain loopback HTTP sends them back itself.
    const browser = {
      'content-type': 'application/json',
      cookie: `cf_session=${cookie(signUp, 'cf_session')}; cf_csrf=${csrf}`,
      'x-csrf-token': csrf,
    };
    expect(signUp.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c))).toBe(true);

    const trpc = async <T>(path: string, input: unknown): Promise<T> => {
      const res = await fetch(`${base}/trpc/${path}`, {
        method: 'POST',
        headers: browser,
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { result?: { data: T }; error?: unknown };
      if (!body.result) throw new Error(`${path} failed (${res.status}): ${JSON.stringify(body.error)}`);
      return body.result.data;
    };
    const { token } = await trpc<{ token: string }>('apiTokens.create', { name: 'production layout' });
    const strategy = await trpc<{ version: { id: string } }>('strategies.create', { template: 'ema-cross' });

    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${base}/api/v1${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });

    // Act: upload, submit, and see the job wait in Redis while no runner exists.
    const form = new FormData();
    form.set('name', 'BTC twenty days');
    form.set('symbol', 'BTC/USDT');
    form.set('file', new Blob([SMALL_CSV], { type: 'text/csv' }), 'btc.csv');
    const upload = await api('/datasets', { method: 'POST', body: form });
    expect(upload.status).toBe(201);
    const dataset = (await upload.json()) as { id: string; bars: number; dataHash: string };
    expect(dataset.bars).toBe(BARS);

    const submit = await api('/backtests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        strategyVersionId: strategy.version.id,
        datasetId: dataset.id,
        settings: { initialCash: 7500 },
      }),
    });
    expect(submit.status).toBe(202);
    const run = (await submit.json()) as { id: string; status: string };
    const status = async () =>
      ((await (await api(`/backtests/${run.id}`)).json()) as { status: string }).status;
    await new Promise((r) => setTimeout(r, 1000));
    expect(await status()).toBe('QUEUED');

    const runner = start('runner', 'apps/runner/src/main.ts', env);
    children.push(runner);
    const finished = await waitFor(
      `run ${run.id} to finish on the runner`,
      async () => {
        const now = await status();
        return ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(now) ? now : undefined;
      },
      40_000,
      [server, runner],
    );
    const resultRes = await api(`/backtests/${run.id}/result`);

    // Assert: the result is the one asked for, on the uploaded data.
    expect(finished).toBe('SUCCEEDED');
    expect(resultRes.status).toBe(200);
    const result = (await resultRes.json()) as {
      metrics: { initialCash: number; tradeCount: number };
      trades: unknown[];
      equity: unknown[];
      provenance: { dataHashes: Record<string, string> } | null;
      bars: number;
    };
    expect(result.metrics.initialCash).toBe(7500);
    expect(result.metrics.tradeCount).toBe(result.trades.length);
    expect(result.equity.length).toBeGreaterThan(0);
    expect(result.bars).toBe(BARS);
    expect(Object.values(result.provenance?.dataHashes ?? {})).toEqual([dataset.dataHash]);
    expect(runner.output()).toMatch(/"msg":"runner started"/);

    // SIGTERM, as a container stop sends it: both exit 0 of their own accord, well before a kill.
    server.process.kill('SIGTERM');
    runner.process.kill('SIGTERM');
    const exits = await Promise.race([
      Promise.all([server.exited, runner.exited]),
      new Promise<never>((_, reject) =>
        setTimeout(
          () =>
            reject(
              new Error(
                `processes did not exit within 10 s of SIGTERM:\n${server.output().slice(-3000)}\n${runner.output().slice(-3000)}`,
              ),
            ),
          10_000,
        ),
      ),
    ]);
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(server.output()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    expect(runner.output()).toMatch(/"msg":"runner stopping/);
    expect(`${server.output()}\n${runner.output()}`).not.toMatch(/"level":(50|60)/);
  }, 90_000);
});
