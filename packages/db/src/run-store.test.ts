import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { createRunStore, type PrismaRunStore, type StoredRunResult } from './run-store';
import { BACKENDS, openTestDatabase } from './test-support/services';

const result: StoredRunResult = {
  metrics: { totalReturnPct: 12.5, profitFactor: Number.POSITIVE_INFINITY, trades: 1 },
  equity: [
    { time: 1, equity: 10_000 },
    { time: 2, equity: 11_250 },
  ],
  trades: [{ entryTime: 1, exitTime: 2, pnl: 1_250, note: undefined }],
  warnings: ['zero fees'],
  provenance: { engineVersion: '1.2.3', dataHash: 'd' },
  bars: 2,
  cpuMs: 41.6,
};

describe.each(BACKENDS)('RunStore on %s', (kind) => {
  let db: Database;
  let store: PrismaRunStore;
  let ownerId: string;
  let versionId: string;
  let datasetId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = createRunStore(db.prisma);
    const user = await db.prisma.user.create({
      data: { email: `runs-${kind}@example.test`, passwordHash: 'x' },
    });
    ownerId = user.id;
    const strategy = await db.prisma.strategy.create({ data: { ownerId, name: 's' } });
    const version = await db.prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 1,
        graph: { nodes: [{ id: 'n1' }] },
        dslText: '',
        contentHash: 'version-hash',
        params: [],
        createdById: ownerId,
      },
    });
    versionId = version.id;
    const dataset = await db.prisma.dataset.create({
      data: {
        ownerId,
        name: 'd',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        bars: 2,
        firstTime: 0n,
        lastTime: 3_600_000n,
        dataHash: 'data-hash',
        storagePath: 'u/d.cfc',
        source: 'GENERATED',
      },
    });
    datasetId = dataset.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  const queueRun = (cacheKey = randomBytes(8).toString('hex')) =>
    db.prisma.backtestRun.create({
      data: {
        ownerId,
        strategyVersionId: versionId,
        datasetId,
        settings: { initialCash: 10_000 },
        settingsHash: 'settings-hash',
        engineVersion: '1.2.3',
        cacheKey,
      },
    });

  it('loads a run with its strategy version and dataset', async () => {
    const run = await queueRun();

    const loaded = await store.loadRun(run.id);

    expect(loaded).toEqual({
      id: run.id,
      ownerId,
      status: 'QUEUED',
      attempts: 0,
      settings: { initialCash: 10_000 },
      cacheKey: run.cacheKey,
      strategyVersion: { id: versionId, contentHash: 'version-hash', graph: { nodes: [{ id: 'n1' }] } },
      dataset: {
        id: datasetId,
        dataHash: 'data-hash',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        bars: 2,
        storagePath: 'u/d.cfc',
      },
    });
    expect(await store.loadRun('no-such-run')).toBeNull();
  });

  it('runs a queued run to success once, storing progress and the result', async () => {
    const run = await queueRun();

    const started = await store.markRunning(run.id, 1);
    await store.saveProgress(run.id, 1, 0.5);
    const midway = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } });
    const saved = await store.saveResult(run.id, 1, result);
    const savedAgain = await store.saveResult(run.id, 1, result);
    const done = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } });

    expect(started).toBe(true);
    expect(midway).toMatchObject({ status: 'RUNNING', attempts: 1, progress: 0.5 });
    expect(midway.startedAt).toBeInstanceOf(Date);
    expect(saved).toBe(true);
    expect(savedAgain).toBe(false);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      progress: 1,
      bars: 2,
      cpuMs: 42,
      warnings: ['zero fees'],
      provenance: { engineVersion: '1.2.3', dataHash: 'd' },
      // Infinity and undefined are stored the way JSON writes them.
      metrics: { totalReturnPct: 12.5, profitFactor: null, trades: 1 },
      trades: [{ entryTime: 1, exitTime: 2, pnl: 1_250 }],
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
  });

  it('lets only the latest attempt write: a late runner cannot overwrite its successor', async () => {
    const run = await queueRun();
    await store.markRunning(run.id, 1);
    await store.markRunning(run.id, 2);

    const staleProgress = store.saveProgress(run.id, 1, 0.9);
    const staleFailure = await store.saveFailure(run.id, 1, 'runner 1 woke up late');
    const staleRestart = await store.markRunning(run.id, 1);
    await staleProgress;
    const current = await store.saveResult(run.id, 2, result);

    expect(staleFailure).toBe(false);
    expect(staleRestart).toBe(false);
    expect(current).toBe(true);
    const row = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row).toMatchObject({ status: 'SUCCEEDED', attempts: 2, error: null, progress: 1 });
  });

  it('records a failure with its message', async () => {
    const run = await queueRun();
    await store.markRunning(run.id, 1);

    const failed = await store.saveFailure(run.id, 1, 'COMPILE_FAILED: node n1 has no input');

    expect(failed).toBe(true);
    expect(await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: 'FAILED',
      error: 'COMPILE_FAILED: node n1 has no input',
    });
  });

  it('cancels a queued or running run, after which nothing starts or stores it', async () => {
    const queued = await queueRun();
    const running = await queueRun();
    await store.markRunning(running.id, 1);

    await store.markCanceled(queued.id);
    await store.markCanceled(running.id);

    expect(await store.markRunning(queued.id, 1)).toBe(false);
    expect(await store.saveResult(running.id, 1, result)).toBe(false);
    const rows = await db.prisma.backtestRun.findMany({
      where: { id: { in: [queued.id, running.id] } },
      select: { status: true, metrics: true },
    });
    expect(rows).toEqual([
      { status: 'CANCELED', metrics: null },
      { status: 'CANCELED', metrics: null },
    ]);
  });

  it('does not cancel a run that already ended', async () => {
    const run = await queueRun();
    await store.markRunning(run.id, 1);
    await store.saveResult(run.id, 1, result);

    await store.markCanceled(run.id);

    expect((await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe(
      'SUCCEEDED',
    );
  });

  it('serves a run from the cache of an earlier computed run with the same key', async () => {
    const cacheKey = `cache-${kind}-${randomBytes(4).toString('hex')}`;
    const computed = await queueRun(cacheKey);
    await store.markRunning(computed.id, 1);
    await store.saveResult(computed.id, 1, result);
    const repeat = await queueRun(cacheKey);
    await store.markRunning(repeat.id, 1);

    const cached = await store.findCached(cacheKey, repeat.id);
    const served = cached ? await store.saveCachedResult(repeat.id, 1, cached.runId) : false;
    // A run served from the cache is not itself a source: the original stays the one answer.
    const third = await queueRun(cacheKey);
    const cachedForThird = await store.findCached(cacheKey, third.id);

    expect(cached).toEqual({ runId: computed.id });
    expect(served).toBe(true);
    const [source, copy] = await Promise.all([
      db.prisma.backtestRun.findUniqueOrThrow({ where: { id: computed.id } }),
      db.prisma.backtestRun.findUniqueOrThrow({ where: { id: repeat.id } }),
    ]);
    expect(copy).toMatchObject({
      status: 'SUCCEEDED',
      resultOfRunId: computed.id,
      cpuMs: 0,
      metrics: source.metrics,
      equity: source.equity,
      trades: source.trades,
      provenance: source.provenance,
    });
    expect(cachedForThird).toEqual({ runId: computed.id });
  });

  it('finds no cached result for a key that only failed or is still running', async () => {
    const cacheKey = `nohit-${kind}-${randomBytes(4).toString('hex')}`;
    const failed = await queueRun(cacheKey);
    await store.markRunning(failed.id, 1);
    await store.saveFailure(failed.id, 1, 'boom');
    const running = await queueRun(cacheKey);
    await store.markRunning(running.id, 1);

    expect(await store.findCached(cacheKey, 'another')).toBeNull();
    await expect(store.saveCachedResult(running.id, 1, failed.id)).rejects.toThrow(/not SUCCEEDED/);
    expect((await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: running.id } })).status).toBe(
      'RUNNING',
    );
  });

  it('clamps progress into 0..1', async () => {
    const run = await queueRun();
    await store.markRunning(run.id, 1);

    await store.saveProgress(run.id, 1, 7);
    const high = (await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } })).progress;
    await store.saveProgress(run.id, 1, Number.NaN);
    const nan = (await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } })).progress;

    expect(high).toBe(1);
    expect(nan).toBe(0);
  });
});
