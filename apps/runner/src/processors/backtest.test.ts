import { readFileSync } from 'node:fs';
import { type CandleSeries, generateCandles, hashCandles, parseCandlesCsv } from '@candleflow/data';
import { backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import { compile, type GraphInput } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../queue/queue';
import { PermanentJobError } from '../queue/queue';
import type { RunToProcess } from '../run-store';
import { MemoryRunStore } from '../test-support/memory-run-store';
import { type BacktestPayload, createBacktestProcessor } from './backtest';
import { backtestCacheKey, settingsHash } from './cache-key';
import { type BacktestEngine, inlineEngine, threadEngine } from './engine';
import type { BacktestRunSettings } from './execute';

const root = new URL('../../../../', import.meta.url);
const graph = JSON.parse(readFileSync(new URL('examples/ema-cross.json', root), 'utf8')) as GraphInput;
const demo = parseCandlesCsv(readFileSync(new URL('examples/data/demo-btc-1h.csv', root), 'utf8'), {
  symbol: 'BTC/USDT',
  timeframe: '1h',
}).series;
const settings: BacktestRunSettings = {
  paramValues: { fast: 10 },
  backtest: { account: { initialCash: 5000 } },
};

function runOf(id: string, series: CandleSeries, overrides: Partial<RunToProcess> = {}): RunToProcess {
  const dataHash = hashCandles(series);
  return {
    id,
    ownerId: 'u1',
    status: 'QUEUED',
    attempts: 0,
    settings,
    cacheKey: backtestCacheKey({ versionHash: 'version-1', dataHash, settingsHash: settingsHash(settings) }),
    strategyVersion: { id: 'sv1', contentHash: 'version-1', graph },
    dataset: {
      id: 'ds1',
      dataHash,
      symbol: series.symbol,
      timeframe: series.timeframe,
      bars: 0,
      storagePath: 'x',
    },
    ...overrides,
  };
}

function context(runId: string, extra: Partial<JobContext<BacktestPayload>> = {}) {
  const progress: number[] = [];
  const ctx: JobContext<BacktestPayload> = {
    job: { id: runId, userId: 'u1', kind: 'backtest', payload: { runId } },
    attempt: 1,
    isFinalAttempt: false,
    signal: new AbortController().signal,
    progress: (fraction) => progress.push(fraction),
    ...extra,
  };
  return { ctx, progress };
}

function counting(engine: BacktestEngine): { engine: BacktestEngine; calls: () => number } {
  let calls = 0;
  return {
    engine: (request, hooks) => {
      calls++;
      return engine(request, hooks);
    },
    calls: () => calls,
  };
}

describe('createBacktestProcessor', () => {
  it('stores the same metrics and trades as the engine run directly on the same strategy and data', async () => {
    const store = new MemoryRunStore();
    const record = store.put(runOf('r1', demo));
    const process = createBacktestProcessor({ store, loadDataset: async () => demo, engine: inlineEngine });
    const { ctx, progress } = context('r1');

    await process(ctx);

    const compiled = compile(graph, catalog, { paramValues: { fast: 10 } });
    if (!compiled.ok) throw new Error('example does not compile');
    const direct = runBacktest({
      plan: compiled.plan,
      data: new Map([['BTC/USDT', demo]]),
      settings: backtestSettings({ account: { initialCash: 5000 } }),
      risk: compiled.graph.risk,
    });
    expect(record.status).toBe('SUCCEEDED');
    expect(record.result?.metrics).toEqual(direct.metrics);
    expect(record.result?.trades).toEqual(direct.trades);
    expect(record.result?.bars).toBe(demo.time.length);
    expect(record.result?.equity.length).toBeLessThanOrEqual(2000);
    expect(record.result?.cpuMs).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    expect(record.writes).toEqual(['running:1', 'result:1']);
  });

  it('runs the strategy on a dataset of another symbol and says so in the warnings', async () => {
    const eth = { ...demo, symbol: 'ETH/USDT' };
    const store = new MemoryRunStore();
    const record = store.put(runOf('r1', eth));
    const process = createBacktestProcessor({ store, loadDataset: async () => eth, engine: inlineEngine });

    await process(context('r1').ctx);

    expect(record.status).toBe('SUCCEEDED');
    expect(record.result?.warnings).toContain("the strategy's BTC/USDT candles read ETH/USDT");
    expect(record.result?.trades.every((t) => t.symbol === 'ETH/USDT')).toBe(true);
  });

  it('gives the same result in a worker thread as inline', async () => {
    const inlineStore = new MemoryRunStore();
    const threadStore = new MemoryRunStore();
    const inline = inlineStore.put(runOf('r1', demo));
    const thread = threadStore.put(runOf('r1', demo));

    await createBacktestProcessor({
      store: inlineStore,
      loadDataset: async () => demo,
      engine: inlineEngine,
    })(context('r1').ctx);
    await createBacktestProcessor({
      store: threadStore,
      loadDataset: async () => demo,
      engine: threadEngine,
    })(context('r1').ctx);

    expect(thread.status).toBe('SUCCEEDED');
    expect(thread.result?.metrics).toEqual(inline.result?.metrics);
    expect(thread.result?.trades).toEqual(inline.result?.trades);
  });

  it('serves a run with the cache key of a finished run from that run, without computing', async () => {
    const store = new MemoryRunStore();
    const first = store.put(runOf('r1', demo));
    const second = store.put(runOf('r2', demo));
    const { engine, calls } = counting(inlineEngine);
    const process = createBacktestProcessor({ store, loadDataset: async () => demo, engine });

    await process(context('r1').ctx);
    await process(context('r2').ctx);

    expect(calls()).toBe(1);
    expect(second.status).toBe('SUCCEEDED');
    expect(second.resultOfRunId).toBe('r1');
    expect(second.result).toBe(first.result);
  });

  it('computes again when the engine version in the key differs', async () => {
    const store = new MemoryRunStore();
    store.put(runOf('r1', demo));
    const newer = runOf('r2', demo);
    const cacheKey = backtestCacheKey({
      versionHash: 'version-1',
      dataHash: newer.dataset.dataHash,
      settingsHash: settingsHash(settings),
      engineVersion: '999.0.0',
    });
    const second = store.put({ ...newer, cacheKey });
    const { engine, calls } = counting(inlineEngine);
    const process = createBacktestProcessor({ store, loadDataset: async () => demo, engine });

    await process(context('r1').ctx);
    await process(context('r2').ctx);

    expect(calls()).toBe(2);
    expect(second.resultOfRunId).toBeNull();
  });

  it('fails a strategy that does not compile at once, naming the node', async () => {
    const broken = { ...graph, edges: (graph.edges ?? []).slice(1) };
    const store = new MemoryRunStore();
    const record = store.put(
      runOf('r1', demo, { strategyVersion: { id: 'sv2', contentHash: 'version-2', graph: broken } }),
    );
    const process = createBacktestProcessor({ store, loadDataset: async () => demo, engine: inlineEngine });

    await expect(process(context('r1').ctx)).rejects.toBeInstanceOf(PermanentJobError);

    expect(record.status).toBe('FAILED');
    expect(record.error).toMatch(/^the strategy does not compile: error \w+ \(node /);
  });

  it('fails a job over its CPU quota with the quota in the message', async () => {
    const big = generateCandles({ symbol: 'BTC/USDT', timeframe: '1m', start: 0, bars: 200_000, seed: 1 });
    const store = new MemoryRunStore();
    const record = store.put(runOf('r1', big));
    const process = createBacktestProcessor({
      store,
      loadDataset: async () => big,
      engine: inlineEngine,
      quotas: { cpuMsPerJob: 50 },
    });

    await expect(process(context('r1').ctx)).rejects.toThrow(/over the limit of 50 ms per job/);

    expect(record.status).toBe('FAILED');
    expect(record.error).toMatch(/ms of CPU time, over the limit of 50 ms per job/);
  });

  it('stops a running backtest in a worker thread when cancelled and records the cancellation', async () => {
    const big = generateCandles({ symbol: 'BTC/USDT', timeframe: '1m', start: 0, bars: 300_000, seed: 2 });
    const store = new MemoryRunStore();
    const record = store.put(runOf('r1', big));
    const controller = new AbortController();
    const { ctx, progress } = context('r1', { signal: controller.signal });
    const process = createBacktestProcessor({
      store,
      loadDataset: async () => big,
      engine: threadEngine,
      progressWriteMs: 0,
    });

    const running = process({
      ...ctx,
      progress: (fraction) => {
        progress.push(fraction);
        if (fraction > 0.02) controller.abort();
      },
    });
    await running;

    expect(record.status).toBe('CANCELED');
    expect(progress.at(-1)).toBeLessThan(1);
    expect(record.progress).toBeGreaterThan(0);
  });

  it('records a transient failure only on the last attempt', async () => {
    const store = new MemoryRunStore();
    const record = store.put(runOf('r1', demo));
    const process = createBacktestProcessor({
      store,
      loadDataset: async () => {
        throw new Error('dataset file busy');
      },
      engine: inlineEngine,
    });

    await expect(process(context('r1').ctx)).rejects.toThrow('dataset file busy');
    expect(record.status).toBe('RUNNING');
    await expect(process(context('r1', { attempt: 2, isFinalAttempt: true }).ctx)).rejects.toThrow(
      'dataset file busy',
    );

    expect(record.status).toBe('FAILED');
    expect(record.writes).toEqual(['running:1', 'running:2', 'failure:2']);
  });

  it('does not run a run that already ended, and refuses an unknown run', async () => {
    const store = new MemoryRunStore();
    store.put(runOf('r1', demo, { status: 'CANCELED' }));
    const { engine, calls } = counting(inlineEngine);
    const process = createBacktestProcessor({ store, loadDataset: async () => demo, engine });

    await process(context('r1').ctx);

    expect(calls()).toBe(0);
    await expect(process(context('missing').ctx)).rejects.toThrow(/backtest run missing does not exist/);
  });
});
