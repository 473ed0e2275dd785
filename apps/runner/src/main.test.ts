// The runner end to end on the real storage: jobs through the in-process queue, the backtest processor
// and packages/db's RunStore, on both the embedded database (PGlite) and PostgreSQL.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashCandles, parseCandlesCsv, writeCandleCache } from '@candleflow/data';
import { BACKENDS, createRunStore, openTestDatabase } from '@candleflow/db';
import type { GraphInput } from '@candleflow/strategy-dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetFile, type Runner, startInProcessRunner } from './main';
import { backtestCacheKey, settingsHash } from './processors/cache-key';
import { inlineEngine } from './processors/engine';
import type { JobEvent } from './queue/queue';
import { waitFor } from './test-support/redis';

const root = new URL('../../../', import.meta.url);
const graph = JSON.parse(readFileSync(new URL('examples/ema-cross.json', root), 'utf8')) as GraphInput;
const series = parseCandlesCsv(readFileSync(new URL('examples/data/demo-btc-1h.csv', root), 'utf8'), {
  symbol: 'BTC/USDT',
  timeframe: '1h',
}).series;
const settings = { paramValues: { fast: 8 } };

describe.each(BACKENDS)('runner on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let runner: Runner;
  let ids: { userId: string; versionId: string; brokenVersionId: string; datasetId: string };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    mkdirSync(join(db.dataDir, 'datasets'), { recursive: true });
    writeCandleCache(join(db.dataDir, 'datasets', 'demo.cfc'), series);
    const { prisma } = db;
    const user = await prisma.user.create({ data: { email: `${kind}@example.com`, passwordHash: 'x' } });
    const strategy = await prisma.strategy.create({ data: { ownerId: user.id, name: 'EMA cross' } });
    const version = await prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 1,
        graph: graph as object,
        dslText: '',
        contentHash: 'hash-v1',
        params: [],
        createdById: user.id,
      },
    });
    const broken = await prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 2,
        graph: { ...graph, edges: [] } as object,
        dslText: '',
        contentHash: 'hash-v2',
        params: [],
        createdById: user.id,
      },
    });
    const dataset = await prisma.dataset.create({
      data: {
        ownerId: user.id,
        name: 'demo',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        bars: series.time.length,
        firstTime: BigInt(series.time[0]!),
        lastTime: BigInt(series.time.at(-1)!),
        dataHash: hashCandles(series),
        storagePath: 'demo.cfc',
        source: 'UPLOAD',
      },
    });
    ids = { userId: user.id, versionId: version.id, brokenVersionId: broken.id, datasetId: dataset.id };
    runner = startInProcessRunner({
      store: createRunStore(prisma),
      dataDir: db.dataDir,
      engine: inlineEngine,
    });
  });

  afterAll(async () => {
    await runner?.close();
    await db?.close();
  });

  async function submit(
    versionId: string,
    versionHash: string,
  ): Promise<{ runId: string; events: JobEvent[] }> {
    const run = await db.prisma.backtestRun.create({
      data: {
        ownerId: ids.userId,
        strategyVersionId: versionId,
        datasetId: ids.datasetId,
        settings,
        settingsHash: settingsHash(settings),
        engineVersion: '0',
        cacheKey: backtestCacheKey({
          versionHash,
          dataHash: hashCandles(series),
          settingsHash: settingsHash(settings),
        }),
      },
    });
    const events: JobEvent[] = [];
    runner.queue.subscribe(run.id, (event) => events.push(event));
    await runner.queue.add({ id: run.id, userId: ids.userId, kind: 'backtest', payload: { runId: run.id } });
    await waitFor(`run ${run.id} to end`, () => events.some((e) => e.type !== 'progress'), 30_000);
    return { runId: run.id, events };
  }

  it('stores a backtest result once, then serves the same backtest from it without computing', async () => {
    const first = await submit(ids.versionId, 'hash-v1');
    const second = await submit(ids.versionId, 'hash-v1');

    const [a, b] = await Promise.all(
      [first.runId, second.runId].map((id) => db.prisma.backtestRun.findUniqueOrThrow({ where: { id } })),
    );
    expect([a!.status, a!.attempts, a!.progress, a!.resultOfRunId]).toEqual(['SUCCEEDED', 1, 1, null]);
    expect((a!.metrics as { tradeCount: number }).tradeCount).toBe((a!.trades as unknown[]).length);
    expect((a!.trades as unknown[]).length).toBeGreaterThan(0);
    expect(a!.cpuMs).toBeGreaterThan(0);
    expect([b!.status, b!.resultOfRunId, b!.cpuMs]).toEqual(['SUCCEEDED', a!.id, 0]);
    expect(b!.metrics).toEqual(a!.metrics);
    expect(first.events.at(-1)).toEqual({ type: 'completed' });
  });

  it('stores the compile error of a broken strategy version', async () => {
    const { runId, events } = await submit(ids.brokenVersionId, 'hash-v2');

    const run = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^the strategy does not compile: error /);
    expect(events.at(-1)).toEqual({ type: 'failed', error: run.error });
  });
});

describe('loadDatasetFile', () => {
  it('refuses a storage path that leaves the datasets folder', async () => {
    const dataset = {
      id: 'd1',
      dataHash: '',
      symbol: 'X',
      timeframe: '1h',
      bars: 1,
      storagePath: '../secret',
    };

    await expect(loadDatasetFile('/tmp/cf', dataset)).rejects.toThrow(/points outside \/tmp\/cf\/datasets/);
  });
});
