import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { createOptimizationStore, type PrismaOptimizationStore } from './optimization-store';
import { BACKENDS, openTestDatabase } from './test-support/services';

interface Metrics {
  readonly sharpe: number | null;
  readonly trades: number;
}

describe.each(BACKENDS)('OptimizationStore on %s', (kind) => {
  let db: Database;
  let store: PrismaOptimizationStore<Metrics>;
  let ids: { ownerId: string; versionId: string; datasetId: string };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = createOptimizationStore<Metrics>(db.prisma);
    const owner = await db.prisma.user.create({
      data: { email: `opt-${kind}@example.test`, passwordHash: 'x' },
    });
    const strategy = await db.prisma.strategy.create({ data: { ownerId: owner.id, name: 's' } });
    const version = await db.prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 1,
        graph: { nodes: [] },
        dslText: '',
        contentHash: 'h',
        params: [],
        createdById: owner.id,
      },
    });
    const dataset = await db.prisma.dataset.create({
      data: {
        ownerId: owner.id,
        name: 'd',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        bars: 2,
        firstTime: 0n,
        lastTime: 3_600_000n,
        dataHash: 'data-hash',
        storagePath: 'd.cfc',
        source: 'GENERATED',
      },
    });
    ids = { ownerId: owner.id, versionId: version.id, datasetId: dataset.id };
  });
  afterAll(async () => {
    await db?.close();
  });

  const queued = async () =>
    (
      await db.prisma.optimization.create({
        data: {
          ownerId: ids.ownerId,
          strategyVersionId: ids.versionId,
          datasetId: ids.datasetId,
          spec: { method: 'grid' },
          settings: {},
          settingsHash: 's',
          engineVersion: 'e',
        },
      })
    ).id;

  const trial = (index: number) => ({
    index,
    phase: 'SEARCH' as const,
    fold: null,
    params: { fast: index },
    resultKey: `key-${index}`,
  });

  it('plans trials once and writes thousands of outcomes in a few statements', async () => {
    const id = await queued();
    const trials = Array.from({ length: 2_500 }, (_, i) => trial(i));
    await store.planTrials(id, trials);
    await store.planTrials(id, [{ ...trial(0), params: { fast: 999 } }]);
    await store.saveOutcomes(
      id,
      trials.map((t) => ({
        index: t.index,
        objective: t.index % 3 === 0 ? null : t.index / 10,
        feasible: t.index % 3 !== 0,
        note: t.index % 3 === 0 ? '2 trades, fewer than the minimum 30' : null,
        metrics: { sharpe: t.index % 3 === 0 ? null : t.index / 10, trades: t.index },
        cached: t.index % 2 === 0,
      })),
    );

    const stored = await store.loadTrials(id);
    expect(stored).toHaveLength(2_500);
    expect(stored[0]).toMatchObject({
      params: { fast: 0 },
      objective: null,
      feasible: false,
      evaluated: true,
    });
    expect(stored[0]!.note).toBe('2 trades, fewer than the minimum 30');
    expect(stored[2_498]).toMatchObject({
      objective: 249.8,
      feasible: true,
      cached: true,
      metrics: { trades: 2_498 },
    });
    expect(await store.loadTrials(id, { from: 10, to: 13 })).toHaveLength(3);
  });

  it("tells which of the asked trials are evaluated, this optimization's only, over more indices than one statement takes", async () => {
    const id = await queued();
    const other = await queued();
    await store.planTrials(
      id,
      Array.from({ length: 2_500 }, (_, i) => trial(i)),
    );
    await store.planTrials(other, [trial(5)]);
    const outcome = (index: number) => ({
      index,
      objective: 1,
      feasible: true,
      note: null,
      metrics: { sharpe: 1, trades: 12 },
      cached: false,
    });
    await store.saveOutcomes(id, [outcome(3), outcome(1_999), outcome(2_001), outcome(2_400)]);
    await store.saveOutcomes(other, [outcome(5)]);

    const asked = [...Array.from({ length: 2_500 }, (_, i) => i).filter((i) => i !== 2_400), 9_999];
    const evaluated = await store.evaluatedIndices(id, asked);

    expect([...evaluated].sort((a, b) => a - b)).toEqual([3, 1_999, 2_001]);
    expect([...(await store.evaluatedIndices(other, [3, 5]))]).toEqual([5]);
    expect((await store.evaluatedIndices(id, [])).size).toBe(0);
  });

  it('keeps the first result stored for a key and returns the returns bytes unchanged', async () => {
    const returns = new Uint8Array(new Float32Array([0.01, -0.02]).buffer);
    await store.saveResults([
      { key: 'r1', metrics: { sharpe: 1, trades: 3 }, returns, engineVersion: 'e', cpuMs: 12.4 },
    ]);
    await store.saveResults([
      { key: 'r1', metrics: { sharpe: 9, trades: 9 }, returns, engineVersion: 'e', cpuMs: 1 },
      { key: 'r2', metrics: { sharpe: 2, trades: 4 }, returns, engineVersion: 'e', cpuMs: 1 },
    ]);

    const found = await store.findResults(['r1', 'r2', 'missing']);
    expect([...found.keys()].sort()).toEqual(['r1', 'r2']);
    expect(found.get('r1')).toMatchObject({ metrics: { sharpe: 1, trades: 3 }, cpuMs: 12 });
    expect([...new Float32Array(new Uint8Array(found.get('r1')!.returns).buffer)]).toEqual([
      ...new Float32Array([0.01, -0.02]),
    ]);
  });

  it('fences the report by attempt and never runs an ended optimization again', async () => {
    const id = await queued();
    const progress = {
      progress: 1,
      totalTrials: 1,
      doneTrials: 1,
      cachedTrials: 0,
      stage: 'done',
      best: null,
    };
    expect(await store.markRunning(id, 1)).toBe(true);
    expect(await store.markRunning(id, 2)).toBe(true);
    expect(await store.saveReport(id, 1, { best: null }, progress, null)).toBe(false);
    expect(await store.saveReport(id, 2, { best: null }, progress, null)).toBe(true);
    expect(await store.markRunning(id, 3)).toBe(false);
    expect(await store.status(id)).toBe('SUCCEEDED');
    const row = await db.prisma.optimization.findUniqueOrThrow({ where: { id } });
    expect([row.progress, row.stage, row.attempts, row.report]).toEqual([1, 'done', 2, { best: null }]);
  });

  it('stores the final run as a finished backtest run and cancels only an active optimization', async () => {
    const id = await queued();
    const runId = await store.saveFinalRun(id, {
      settings: { paramValues: { fast: 5 } },
      settingsHash: 'sh',
      cacheKey: 'ck',
      engineVersion: 'e',
      result: {
        metrics: { sharpe: 1 },
        equity: [],
        trades: [],
        warnings: [],
        provenance: {},
        bars: 2,
        cpuMs: 3,
      },
    });
    await store.markCanceled(id);

    const run = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.cacheKey, run.ownerId]).toEqual(['SUCCEEDED', 'ck', ids.ownerId]);
    expect(await store.status(id)).toBe('CANCELED');
    expect(await store.markRunning(id, 1)).toBe(false);
  });
});
