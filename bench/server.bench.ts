// `npm run bench:server`: read latency of the server in the embedded mode (PGlite, in-process runner) on
// loopback, at a fixed 200 requests/s, first idle and then while backtests run in a separate process.
// Reads: strategies.list and backtests.result through a personal API token, as a script would call them.
// The load generator (an open-loop, evenly paced HTTP client) and the backtests each run in a child process of their own.
// Goal on the 2-core reference machine: p99 under 50 ms. The last line is the figure BENCHMARKS.md records.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateCandles, hashCandles, parseCandlesCsv, writeCandleCache } from '@candleflow/data';
import { createRunStore, type Database, openDatabase } from '@candleflow/db';
import { inlineEngine, type Runner, startInProcessRunner } from '@candleflow/runner';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../apps/server/src/app';
import { generateApiToken } from '../apps/server/src/auth/tokens';
import { loadEnv } from '../apps/server/src/env';

interface ReadRequest {
  method: 'GET';
  path: string;
}
interface LoadResult {
  latency: { p50: number; p99: number; max: number };
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const root = join(import.meta.dirname, '..');
const RATE = 200;
const DURATION_S = 10;
const WARMUP_S = 2;
// The most keep-alive sockets the client opens: enough that a slow answer does not hold the next request back
// (each socket carries one request at a time), so the offered rate stays 200/s.
const CONNECTIONS = 50;
const TEMPLATES = [
  'ema-cross',
  'sma-cross',
  'rsi-mean-reversion',
  'bollinger-breakout',
  'atr-trend-follower',
];
const LOAD_FLAG = '--backtest-load';
const CLIENT_FLAG = '--client';

interface Phase {
  name: string;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  rps: number;
}

interface Seeded {
  token: string;
  runId: string;
}

// ---------------------------------------------------------------------------------------------------
// The separate "runner" process: backtests back to back on the runner's own engine path until stopped.

async function backtestLoad(): Promise<void> {
  const graph = JSON.parse(readFileSync(join(root, 'examples', 'ema-cross.json'), 'utf8')) as unknown;
  const series = generateCandles({ symbol: 'BTC/USDT', timeframe: '1m', start: 0, bars: 200_000, seed: 7 });
  let stopping = false;
  let done = 0;
  process.on('SIGTERM', () => {
    stopping = true;
  });
  console.log('ready');
  const signal = new AbortController().signal;
  while (!stopping) {
    await inlineEngine(
      { runId: `load-${done}`, graph, settings: {}, series, cpuLimitMs: 600_000 },
      { onProgress: () => {}, signal },
    );
    done += 1;
    // Lets the SIGTERM handler run between backtests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(`backtests: ${done}`);
}

function startBacktestLoad(): Promise<{ child: ChildProcess; stop: () => Promise<number> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'server.bench.ts'), LOAD_FLAG],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  let count = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the backtest process did not start within 60 s')),
      60_000,
    );
    child.once('exit', (code) => reject(new Error(`the backtest process exited early (code ${code})`)));
    lines.on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timer);
        resolve({
          child,
          stop: async () => {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await exited;
            clearTimeout(killer);
            return count;
          },
        });
      }
      const match = /^backtests: (\d+)$/.exec(line);
      if (match) count = Number(match[1]);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The server in the embedded mode, seeded through its own API where one exists.

async function call<T>(
  app: FastifyInstance,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  input?: unknown,
) {
  const res = await app.inject({
    method,
    url:
      method === 'GET'
        ? `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
        : `/trpc/${path}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { payload: JSON.stringify(input ?? {}) } : {}),
  });
  if (res.statusCode !== 200) {
    throw new Error(`${path} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  }
  return (res.json() as { result: { data: T } }).result.data;
}

async function seed(app: FastifyInstance, db: Database, dataDir: string): Promise<Seeded> {
  const user = await db.prisma.user.create({
    data: { email: 'bench@example.com', passwordHash: 'not-used', role: 'TRADER' },
  });
  const { token, hash, prefix } = generateApiToken();
  await db.prisma.apiToken.create({
    data: { userId: user.id, name: 'bench', tokenHash: hash, prefix, scopes: ['read', 'write'] },
  });

  let versionId = '';
  for (const template of TEMPLATES) {
    const created = await call<{ version: { id: string } }>(app, token, 'POST', 'strategies.create', {
      template,
    });
    if (template === 'ema-cross') versionId = created.version.id;
  }

  // One dataset file and row, the way an upload stores them.
  const csv = readFileSync(join(root, 'examples', 'data', 'demo-btc-1h.csv'), 'utf8');
  const { series } = parseCandlesCsv(csv, { symbol: 'BTC/USDT', timeframe: '1h' });
  mkdirSync(join(dataDir, 'datasets'), { recursive: true });
  writeCandleCache(join(dataDir, 'datasets', 'bench-demo.cfc'), series);
  const dataset = await db.prisma.dataset.create({
    data: {
      ownerId: user.id,
      name: 'demo BTC 1h',
      symbol: series.symbol,
      timeframe: series.timeframe,
      bars: series.time.length,
      firstTime: BigInt(series.time[0]!),
      lastTime: BigInt(series.time.at(-1)!),
      dataHash: hashCandles(series),
      storagePath: 'bench-demo.cfc',
      source: 'UPLOAD',
    },
  });

  // One finished backtest: submitted through the API and computed by the in-process runner.
  const run = await call<{ id: string }>(app, token, 'POST', 'backtests.submit', {
    strategyVersionId: versionId,
    datasetId: dataset.id,
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } });
    if (row.status === 'SUCCEEDED') break;
    if (row.status === 'FAILED' || row.status === 'CANCELED') {
      throw new Error(`the seed backtest ended ${row.status}: ${row.error ?? 'no reason recorded'}`);
    }
    if (Date.now() > deadline) throw new Error(`the seed backtest is still ${row.status} after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { token, runId: run.id };
}

// ---------------------------------------------------------------------------------------------------
// Measurement.

function readRequests(seeded: Seeded): ReadRequest[] {
  const input = encodeURIComponent(JSON.stringify({ id: seeded.runId }));
  return [
    { method: 'GET', path: '/trpc/strategies.list' },
    { method: 'GET', path: `/trpc/backtests.result?input=${input}` },
  ];
}

interface ClientJob {
  url: string;
  token: string;
  requests: ReadRequest[];
  seconds: number;
}

/**
 * The load generator, in its own process so it does not share the server's event loop and CPU time.
 * Open loop at an even pace: request i is due at start + i / RATE s (every 5 ms at 200/s), alternating the
 * reads, on a keep-alive pool of up to CONNECTIONS sockets. Latency counts from the moment a request was due,
 * not from when it was written, so a stalled server or a full pool shows in the percentiles (no coordinated
 * omission). autocannon's `overallRate` is not used: it gives each connection a budget of rate/connections
 * per second, all connections spend it back to back right after the same 1 s tick, so the "200 req/s" arrived
 * as a burst of 200 requests (50 at once) at the start of every second, and its coordinated-omission
 * correction assumed a 1 ms interval (ceil(1 / 4 req/s)), adding made-up samples to every slow answer.
 */
async function client(job: ClientJob): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = new URL(job.url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  const total = RATE * job.seconds;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const finishOne = () => {
      inFlight -= 1;
      if (sent === total && inFlight === 0) resolve();
    };
    const fire = (due: number, req: ReadRequest) => {
      inFlight += 1;
      const r = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers: { authorization: `Bearer ${job.token}` },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            if (res.statusCode! >= 200 && res.statusCode! < 300) latencies.push(performance.now() - due);
            else non2xx += 1;
            finishOne();
          });
          res.on('error', () => {
            errors += 1;
            finishOne();
          });
        },
      );
      r.on('error', () => {
        errors += 1;
        finishOne();
      });
      r.end();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total) {
        const due = start + (sent * 1000) / RATE;
        if (due > now) break;
        fire(due, job.requests[sent % job.requests.length]!);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1000) / RATE - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  const result: LoadResult = {
    latency: { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0 },
    requests: { total: latencies.length + non2xx, average: (latencies.length + non2xx) / elapsed },
    non2xx,
    errors,
    timeouts: 0,
  };
  console.log(JSON.stringify(result));
}

async function measure(name: string, url: string, seeded: Seeded, seconds: number): Promise<Phase> {
  const job: ClientJob = { url, token: seeded.token, requests: readRequests(seeded), seconds };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'server.bench.ts'), CLIENT_FLAG, JSON.stringify(job)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = output.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{'))
    throw new Error(`the load generator failed (exit ${code}): ${output}`);
  const result = JSON.parse(last) as LoadResult;
  return {
    name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rps: result.requests.average,
  };
}

function describePhase(phase: Phase): string {
  return (
    `${phase.name.padEnd(36)} p50 ${phase.p50.toFixed(1).padStart(6)} ms   p99 ${phase.p99.toFixed(1).padStart(6)} ms   ` +
    `max ${phase.max.toFixed(1).padStart(6)} ms   ${phase.rps.toFixed(0)} req/s   ${phase.requests} requests, ` +
    `${phase.non2xx} non-2xx, ${phase.errors} errors`
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candleflow-bench-'));
  const env = loadEnv({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    CREDENTIALS_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    // The whole benchmark comes from one address; the per-client budget must not be what is measured.
    RATE_LIMIT_PER_MINUTE: String(RATE * 60 * 10),
  });
  let db: Database | undefined;
  let runner: Runner | undefined;
  let app: FastifyInstance | undefined;
  let load: Awaited<ReturnType<typeof startBacktestLoad>> | undefined;
  try {
    db = await openDatabase({ dataDir });
    runner = startInProcessRunner({ store: createRunStore(db.prisma), dataDir });
    app = await buildServer({ env, db, queue: runner.queue });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const seeded = await seed(app, db, dataDir);
    // Both reads must work before their latency means anything.
    const sizes: string[] = [];
    for (const request of readRequests(seeded)) {
      const res = await app.inject({
        method: 'GET',
        url: request.path,
        headers: { authorization: `Bearer ${seeded.token}` },
      });
      if (res.statusCode !== 200)
        throw new Error(`${request.path} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      sizes.push(`${request.path.split('?')[0]} ${(res.rawPayload.length / 1024).toFixed(1)} KiB`);
    }
    console.log(
      `server ${address} (embedded: PGlite in ${dataDir}, in-process runner), ${RATE} req/s for ${DURATION_S} s`,
    );
    console.log(`responses: ${sizes.join(', ')}`);

    await measure('warm-up', address, seeded, WARMUP_S);
    const idle = await measure('reads, no backtest running', address, seeded, DURATION_S);
    console.log(describePhase(idle));

    load = await startBacktestLoad();
    const loaded = await measure('reads, backtests in another process', address, seeded, DURATION_S);
    const backtests = await load.stop();
    load = undefined;
    console.log(`${describePhase(loaded)}   (${backtests} backtests of 200,000 bars meanwhile)`);

    const failed = idle.non2xx + idle.errors + loaded.non2xx + loaded.errors;
    if (failed > 0) console.log(`warning: ${failed} requests failed; their latency is not a read's`);
    for (const phase of [idle, loaded]) {
      if (phase.rps < RATE * 0.95) {
        console.log(
          `warning: "${phase.name}" reached ${phase.rps.toFixed(0)} of ${RATE} req/s: the server fell behind`,
        );
      }
    }
    console.log(`read p99 ms at ${RATE} rps: ${Math.max(idle.p99, loaded.p99).toFixed(1)}`);
  } finally {
    await load?.stop();
    await app?.close();
    await runner?.close();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const clientJob = process.argv.indexOf(CLIENT_FLAG);
if (process.argv.includes(LOAD_FLAG)) await backtestLoad();
else if (clientJob > 0) await client(JSON.parse(process.argv[clientJob + 1] ?? '') as ClientJob);
else await main();
