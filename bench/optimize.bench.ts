// `npm run bench:optimize`: how optimization scales out. A grid of 10,000 combinations of
// examples/ema-cross.json (fast × slow × atrMult) over 100,000 one-hour bars, stored-result reuse off, run
// by one runner process and then by two (BullMQ on Redis, PostgreSQL; each runner one trial thread). Prints
// combinations per second for each, how much of the runners' time the backtests themselves took (the queue
// must not be the cost), and last the line `scaling two runners / one runner: R`.
//
// Needs PostgreSQL and Redis: it runs tools/test-setup.mjs first, as `npm test` does. BENCH_COMBOS
// (a multiple of 250, default 10,000) and BENCH_BARS (default 100,000) shrink it for a quick look.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCandles, hashCandles, writeCandleCache } from '@candleflow/data';
import {
  createTestPostgresDatabase,
  openDatabase,
  Prisma,
  type PrismaClient,
  testServices,
} from '@candleflow/db';
import { ENGINE_VERSION } from '@candleflow/engine';
import { OptimizeSpecSchema } from '@candleflow/optimize';
import { claimEmptyRedisDatabase, settingsHash } from '@candleflow/runner';
import type { GraphInput } from '@candleflow/strategy-dsl';
import { Redis } from 'ioredis';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: benchmark knobs, read once here.
const COMBOS = Number(process.env.BENCH_COMBOS ?? 10_000);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: benchmark knobs, read once here.
const BARS = Number(process.env.BENCH_BARS ?? 100_000);
const root = join(import.meta.dirname, '..');

if (!Number.isInteger(COMBOS / 250) || COMBOS < 250) {
  throw new Error(
    `BENCH_COMBOS must be a positive multiple of 250 (25 fast × 10 atrMult × slow values), got ${COMBOS}`,
  );
}

/** fast 2..26 (25 values) × slow from 30 by 5 (COMBOS / 250 values) × atrMult 1..5.5 by 0.5 (10 values); fast < slow always holds. */
const spec = OptimizeSpecSchema.parse({
  method: 'grid',
  ranges: {
    fast: { min: 2, max: 26, step: 1 },
    slow: { min: 30, max: 30 + 5 * (COMBOS / 250 - 1), step: 5 },
    atrMult: { min: 1, max: 5.5, step: 0.5 },
    rsiPeriod: { fixed: 14 },
    rsiMax: { fixed: 70 },
  },
  objective: { metric: 'sharpe' },
  monteCarlo: null,
  reuseResults: false,
});

function runTestSetup(): void {
  const setup = spawnSync(process.execPath, [join(root, 'tools', 'test-setup.mjs')], { stdio: 'inherit' });
  if (setup.status !== 0)
    throw new Error('tools/test-setup.mjs failed: the benchmark needs PostgreSQL and Redis');
}

interface Seeded {
  readonly userId: string;
  readonly versionId: string;
  readonly datasetId: string;
}

async function seed(prisma: PrismaClient, dataDir: string): Promise<Seeded> {
  const graph = JSON.parse(readFileSync(join(root, 'examples', 'ema-cross.json'), 'utf8')) as GraphInput;
  const series = generateCandles({
    symbol: 'BTC/USDT',
    timeframe: '1h',
    start: Date.UTC(2013, 0, 1),
    bars: BARS,
    seed: 42,
  });
  mkdirSync(join(dataDir, 'datasets'), { recursive: true });
  writeCandleCache(join(dataDir, 'datasets', 'bench.cfc'), series);
  const user = await prisma.user.create({ data: { email: 'bench@candleflow.local', passwordHash: 'x' } });
  const strategy = await prisma.strategy.create({ data: { ownerId: user.id, name: 'EMA cross' } });
  const version = await prisma.strategyVersion.create({
    data: {
      strategyId: strategy.id,
      number: 1,
      graph: graph as object,
      dslText: '',
      contentHash: 'bench',
      params: graph.params as object,
      createdById: user.id,
    },
  });
  const dataset = await prisma.dataset.create({
    data: {
      ownerId: user.id,
      name: 'bench',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      bars: series.time.length,
      firstTime: BigInt(series.time[0]!),
      lastTime: BigInt(series.time.at(-1)!),
      dataHash: hashCandles(series),
      storagePath: 'bench.cfc',
      source: 'GENERATED',
    },
  });
  return { userId: user.id, versionId: version.id, datasetId: dataset.id };
}

function startRunner(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps', 'runner', 'src', 'main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('runner started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a runner exited with code ${code} before it started`)));
  });
}

interface Measured {
  readonly runners: number;
  /** Submit to the last trial evaluated. */
  readonly trialsMs: number;
  /** Submit to SUCCEEDED (final run and statistics included). */
  readonly totalMs: number;
  readonly combosPerSecond: number;
  /** Sum of the trials' own backtest CPU time over (trial wall time × runners): near 1 when the queue costs little. */
  readonly backtestShare: number;
}

async function measure(
  runners: number,
  prisma: PrismaClient,
  seeded: Seeded,
  env: Record<string, string>,
  redis: Redis,
): Promise<Measured> {
  await redis.flushdb();
  await prisma.trialResult.deleteMany({});
  const children = await Promise.all(Array.from({ length: runners }, () => startRunner(env)));
  try {
    const settings = { backtest: {} };
    const optimization = await prisma.optimization.create({
      data: {
        ownerId: seeded.userId,
        strategyVersionId: seeded.versionId,
        datasetId: seeded.datasetId,
        spec: spec as object,
        settings,
        settingsHash: settingsHash(settings),
        engineVersion: ENGINE_VERSION,
      },
    });
    const { BullMqQueue } = await import('@candleflow/runner');
    const queue = new BullMqQueue({ redisUrl: env.REDIS_URL!, maxActivePerUser: 2 });
    const start = performance.now();
    await queue.add({
      id: optimization.id,
      userId: seeded.userId,
      kind: 'optimize',
      payload: { optimizationId: optimization.id },
    });
    let trialsMs = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const row = await prisma.optimization.findUniqueOrThrow({ where: { id: optimization.id } });
      if (trialsMs === 0 && row.totalTrials > 0 && row.doneTrials >= COMBOS)
        trialsMs = performance.now() - start;
      if (row.status === 'FAILED' || row.status === 'CANCELED') {
        throw new Error(`the optimization ended ${row.status}: ${row.error ?? ''}`);
      }
      if (row.status === 'SUCCEEDED') break;
    }
    const totalMs = performance.now() - start;
    await queue.close();
    const cpu = await prisma.trialResult.aggregate({ _sum: { cpuMs: true }, _count: true });
    if (cpu._count !== COMBOS) {
      const failed = await prisma.optimizationTrial.findMany({
        where: { optimizationId: optimization.id, metrics: { equals: Prisma.DbNull } },
        select: { index: true, params: true, note: true },
        take: 5,
      });
      throw new Error(
        `expected ${COMBOS} computed trials, found ${cpu._count}; trials without a result: ${JSON.stringify(failed)}`,
      );
    }
    return {
      runners,
      trialsMs,
      totalMs,
      combosPerSecond: COMBOS / (trialsMs / 1000),
      backtestShare: (cpu._sum.cpuMs ?? 0) / (trialsMs * runners),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
  }
}

async function main(): Promise<void> {
  runTestSetup();
  const services = testServices();
  const database = await createTestPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'candleflow-bench-optimize-'));
  const redisUrl = await claimEmptyRedisDatabase(services.redisUrl);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const opened = await openDatabase({ url: database.url, dataDir });
  try {
    const seeded = await seed(opened.prisma, dataDir);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      TRIALS_THREADS: '1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    };
    console.log(
      `bench:optimize — ${COMBOS.toLocaleString('en-US')} grid combinations of examples/ema-cross.json over ${BARS.toLocaleString('en-US')} bars, result reuse off`,
    );
    const results: Measured[] = [];
    for (const runners of [1, 2]) {
      const m = await measure(runners, opened.prisma, seeded, env, redis);
      results.push(m);
      console.log(
        `${runners} runner${runners > 1 ? 's' : ' '}: ${m.combosPerSecond.toFixed(1)} combinations/s ` +
          `(trials ${(m.trialsMs / 1000).toFixed(1)} s, to done ${(m.totalMs / 1000).toFixed(1)} s, backtest share of runner time ${(m.backtestShare * 100).toFixed(0)}%)`,
      );
    }
    console.log(
      `scaling two runners / one runner: ${(results[1]!.combosPerSecond / results[0]!.combosPerSecond).toFixed(2)}`,
    );
  } finally {
    await redis.flushdb();
    redis.disconnect();
    await opened.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
