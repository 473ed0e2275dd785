// Backtests end to end on both databases with the in-process queue and the real runner processor:
// submit, progress streamed over a WebSocket subscription, results equal to running the engine
// directly, the result cache, quotas, cancel, list and compare; and one flow on BullMQ with Redis.
import { readFileSync } from 'node:fs';
import { parseCandlesCsv } from '@candleflow/data';
import { BACKENDS } from '@candleflow/db';
import { backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import { compile, type GraphInput } from '@candleflow/strategy-dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, leaksInternals, mutate, query } from '../../test-support/server';
import { type Platform, rowCounts, startPlatform, waitFor, wsClientFor } from './test-support/platform';

const root = new URL('../../../../../', import.meta.url);
const DEMO_CSV = readFileSync(new URL('examples/data/demo-btc-1h.csv', root), 'utf8');
const SMALL_CSV = DEMO_CSV.split('\n')
  .slice(0, 24 * 60 + 1)
  .join('\n');
const emaCross = JSON.parse(readFileSync(new URL('examples/ema-cross.json', root), 'utf8')) as GraphInput;

interface Run {
  id: string;
  status: string;
  progress: number;
  servedFromCache: boolean;
}
interface Result extends Run {
  metrics: Record<string, number | null>;
  trades: unknown[];
  equity: unknown[];
  warnings: string[];
  resultOfRunId: string | null;
}

/** The engine run directly, as the CLI does: what the stored result must equal. */
function directMetrics() {
  const series = parseCandlesCsv(SMALL_CSV, { symbol: 'BTC/USDT' }).series;
  // The example reads BTC/USDT 1h, which is what the demo file holds: no feed rebinding is involved.
  const compiled = compile(emaCross, catalog, {});
  if (!compiled.ok) throw new Error('example does not compile');
  const result = runBacktest({
    plan: compiled.plan,
    data: new Map([[series.symbol, series]]),
    settings: backtestSettings({}),
    risk: compiled.graph.risk,
    runId: 'direct',
  });
  return JSON.parse(JSON.stringify({ metrics: result.metrics, trades: result.trades.length })) as {
    metrics: Record<string, unknown>;
    trades: number;
  };
}

async function setUp(p: Platform, caller: Caller) {
  const strategy = await mutate<{ strategy: { id: string }; version: { id: string } }>(
    p.app,
    'strategies.create',
    { template: 'ema-cross' },
    caller,
  );
  const dataset = await mutate<{ id: string }>(
    p.app,
    'datasets.importCsv',
    { name: 'btc', symbol: 'BTC/USDT', csv: SMALL_CSV },
    caller,
  );
  return {
    strategyId: strategy.data.strategy.id,
    versionId: strategy.data.version.id,
    datasetId: dataset.data.id,
  };
}

async function finished(p: Platform, caller: Caller, id: string): Promise<Run> {
  return waitFor(`run ${id} to end`, async () => {
    const res = await query<Run>(p.app, 'backtests.get', { id }, caller);
    return ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(res.data.status) ? res.data : undefined;
  });
}

describe.each(BACKENDS)('backtests on %s', (backend) => {
  let p: Platform;
  let ids: Awaited<ReturnType<typeof setUp>>;
  const a = () => p.users.a.caller;
  beforeAll(async () => {
    p = await startPlatform({ backend, env: { QUOTA_BARS_PER_JOB: '5000' } });
    ids = await setUp(p, a());
  });
  afterAll(async () => {
    await p?.close();
  });

  it("streams progress over a WebSocket subscription until the run succeeds, with the engine's own result", async () => {
    const { client, close: closeWs } = await wsClientFor(p, a());
    try {
      const run = await client.backtests.submit.mutate({
        strategyVersionId: ids.versionId,
        datasetId: ids.datasetId,
      });
      const updates = await new Promise<Array<{ status: string; progress: number }>>((resolve, reject) => {
        const seen: Array<{ status: string; progress: number }> = [];
        client.backtests.progress.subscribe(
          { id: run.id },
          { onData: (u) => seen.push(u), onComplete: () => resolve(seen), onError: reject },
        );
      });
      expect(updates.at(-1)).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
      const fractions = updates.map((u) => u.progress);
      expect(fractions).toEqual([...fractions].sort((x, y) => x - y));

      const result = await query<Result>(p.app, 'backtests.result', { id: run.id }, a());
      const direct = directMetrics();
      expect(result.data.metrics).toEqual(direct.metrics);
      expect(result.data.trades).toHaveLength(direct.trades);
      expect(await p.db.prisma.auditEvent.count({ where: { action: 'job.submit', targetId: run.id } })).toBe(
        1,
      );
    } finally {
      closeWs();
    }
  });

  it('answers the same backtest again from the result cache, as a new run of the caller', async () => {
    const first = await mutate<Run>(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: ids.datasetId, settings: { takerFee: 0.001 } },
      a(),
    );
    await finished(p, a(), first.data.id);

    const second = await mutate<Run>(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: ids.datasetId, settings: { takerFee: 0.001 } },
      a(),
    );

    expect(second.data).toMatchObject({ status: 'SUCCEEDED', servedFromCache: true });
    expect(second.data.id).not.toBe(first.data.id);
    const [r1, r2] = await Promise.all(
      [first.data.id, second.data.id].map(
        async (id) => (await query<Result>(p.app, 'backtests.result', { id }, a())).data,
      ),
    );
    expect(r2!.resultOfRunId).toBe(first.data.id);
    expect(r2!.metrics).toEqual(r1!.metrics);
  });

  it('compares two runs: every metric with b − a, and the settings that differ', async () => {
    const submit = async (initialCash: number) => {
      const res = await mutate<Run>(
        p.app,
        'backtests.submit',
        { strategyVersionId: ids.versionId, datasetId: ids.datasetId, settings: { initialCash } },
        a(),
      );
      return (await finished(p, a(), res.data.id)).id;
    };
    const [x, y] = [await submit(1000), await submit(3000)];

    const res = await query<{
      metrics: Array<{ name: string; a: unknown; b: unknown; difference: number | null }>;
      settings: Array<{ path: string; a: unknown; b: unknown }>;
      sameStrategyVersion: boolean;
    }>(p.app, 'backtests.compare', { a: x, b: y }, a());

    expect(res.data.settings).toEqual([{ path: 'backtest.account.initialCash', a: 1000, b: 3000 }]);
    expect(res.data.metrics.find((m) => m.name === 'initialCash')).toMatchObject({
      a: 1000,
      b: 3000,
      difference: 2000,
    });
    expect(res.data.sameStrategyVersion).toBe(true);
    const listed = await query<{ items: Run[]; nextCursor: string | null }>(
      p.app,
      'backtests.list',
      { strategyId: ids.strategyId, limit: 1 },
      a(),
    );
    expect(listed.data.items).toHaveLength(1);
    const next = await query<{ items: Run[] }>(
      p.app,
      'backtests.list',
      { strategyId: ids.strategyId, limit: 1, cursor: listed.data.nextCursor },
      a(),
    );
    expect(next.data.items[0]!.id).not.toBe(listed.data.items[0]!.id);
  });

  it('refuses runs over the bars quota, parameter values out of range and unknown settings, writing nothing', async () => {
    const big = await mutate<{ id: string }>(p.app, 'datasets.generate', { bars: 6000 }, a());
    const before = await rowCounts(p.db);

    const quota = await mutate(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: big.data.id },
      a(),
    );
    const param = await mutate(
      p.app,
      'backtests.submit',
      {
        strategyVersionId: ids.versionId,
        datasetId: ids.datasetId,
        settings: { paramValues: { fast: 100000 } },
      },
      a(),
    );
    const unknown = await mutate(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: ids.datasetId, settings: { turbo: true } },
      a(),
    );
    const wrongType = await mutate(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: ids.datasetId, settings: { initialCash: '1e6' } },
      a(),
    );

    expect([quota.status, quota.error?.data.code]).toEqual([429, 'QUOTA_EXCEEDED']);
    expect(quota.error?.data.details).toMatchObject({ quota: 'bars_per_job', limit: 5000, actual: 6000 });
    expect(param.error?.data.code).toBe('COMPILE_FAILED');
    expect(unknown.error?.data.code).toBe('VALIDATION_FAILED');
    expect(wrongType.error?.data.code).toBe('VALIDATION_FAILED');
    for (const res of [quota, param, unknown, wrongType]) expect(leaksInternals(res.res.body)).toBe(false);
    expect(await rowCounts(p.db)).toEqual(before);
  });

  it('cancels a queued run once (a second cancel changes nothing) and has no result for it', async () => {
    const run = await p.db.prisma.backtestRun.create({
      data: {
        ownerId: p.users.a.id,
        strategyVersionId: ids.versionId,
        datasetId: ids.datasetId,
        settings: {},
        settingsHash: 's',
        engineVersion: 'e',
        cacheKey: 'never-computed',
      },
    });
    const early = await query(p.app, 'backtests.result', { id: run.id }, a());
    expect([early.status, early.error?.data.code]).toEqual([409, 'CONFLICT']);

    const first = await mutate<Run>(p.app, 'backtests.cancel', { id: run.id }, a());
    const second = await mutate<Run>(p.app, 'backtests.cancel', { id: run.id }, a());

    expect([first.data.status, second.data.status]).toEqual(['CANCELED', 'CANCELED']);
    expect(await p.db.prisma.auditEvent.count({ where: { action: 'job.cancel', targetId: run.id } })).toBe(1);
  });

  it("never shows or touches another user's runs", async () => {
    const own = await mutate<Run>(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: ids.datasetId, settings: { seed: 5 } },
      a(),
    );
    const b = p.users.b.caller;
    for (const path of ['backtests.get', 'backtests.result']) {
      expect((await query(p.app, path, { id: own.data.id }, b)).error?.data.code).toBe('NOT_FOUND');
    }
    expect((await mutate(p.app, 'backtests.cancel', { id: own.data.id }, b)).error?.data.code).toBe(
      'NOT_FOUND',
    );
    const submitOnA = await mutate(
      p.app,
      'backtests.submit',
      { strategyVersionId: ids.versionId, datasetId: ids.datasetId },
      b,
    );
    expect(submitOnA.error?.data.code).toBe('NOT_FOUND');
    expect((await query<{ items: Run[] }>(p.app, 'backtests.list', undefined, b)).data.items).toEqual([]);
    await finished(p, a(), own.data.id);
    // Once the finished run is in the result cache (ownership then checked without a query), others
    // still get the very same NOT_FOUND.
    expect((await query(p.app, 'backtests.result', { id: own.data.id }, a())).status).toBe(200);
    expect((await query(p.app, 'backtests.result', { id: own.data.id }, a())).status).toBe(200);
    const other = await query(p.app, 'backtests.result', { id: own.data.id }, b);
    expect(other.error?.data.code).toBe('NOT_FOUND');
    expect(other.error?.message).toBe(`Backtest run ${own.data.id} does not exist or is not yours.`);
  });
});

describe('backtests without a runner', () => {
  it('answers UNAVAILABLE and queues nothing', async () => {
    const p = await startPlatform({ queue: 'none' });
    try {
      const ids = await setUp(p, p.users.a.caller);
      const before = await rowCounts(p.db);
      const res = await mutate(
        p.app,
        'backtests.submit',
        { strategyVersionId: ids.versionId, datasetId: ids.datasetId },
        p.users.a.caller,
      );
      expect([res.status, res.error?.data.code]).toEqual([503, 'UNAVAILABLE']);
      expect(await rowCounts(p.db)).toEqual(before);
    } finally {
      await p.close();
    }
  });
});

describe('backtests on BullMQ with Redis', () => {
  it('runs a submitted backtest through Redis to a stored result', async () => {
    const p = await startPlatform({ backend: 'postgres', queue: 'bullmq' });
    try {
      const ids = await setUp(p, p.users.a.caller);
      const run = await mutate<Run>(
        p.app,
        'backtests.submit',
        { strategyVersionId: ids.versionId, datasetId: ids.datasetId },
        p.users.a.caller,
      );
      expect(run.data.status).toBe('QUEUED');
      expect((await finished(p, p.users.a.caller, run.data.id)).status).toBe('SUCCEEDED');
      const result = await query<Result>(p.app, 'backtests.result', { id: run.data.id }, p.users.a.caller);
      expect(result.data.metrics).toEqual(directMetrics().metrics);
    } finally {
      await p.close();
    }
  });
});
