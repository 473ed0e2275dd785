import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashCandles, writeCandleCache } from '@candleflow/data';
import { backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import { periodReturns } from '@candleflow/optimize';
import { bindFeedsToData, compile } from '@candleflow/strategy-dsl';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSeries, exampleGraph } from '../test-support/seed';
import type { TrialContext } from './pool-messages';
import { TrialPool } from './trial-pool';

const dataDir = mkdtempSync(join(tmpdir(), 'trial-pool-'));
mkdirSync(join(dataDir, 'datasets'));
writeCandleCache(join(dataDir, 'datasets', 'demo.cfc'), demoSeries);
const context: TrialContext = {
  key: 'opt-1',
  graph: exampleGraph,
  settings: { backtest: { account: { initialCash: 5000 } } },
  dataset: {
    id: 'ds1',
    dataHash: hashCandles(demoSeries),
    symbol: 'BTC/USDT',
    timeframe: '1h',
    bars: demoSeries.time.length,
    storagePath: 'demo.cfc',
  },
};
const bars = demoSeries.time.length;

function direct(params: Record<string, number>, from?: number, tradeFrom?: number, to?: number) {
  const bound = bindFeedsToData(exampleGraph, catalog, demoSeries).graph;
  const compiled = compile(bound, catalog, { paramValues: params });
  if (!compiled.ok) throw new Error('does not compile');
  return runBacktest({
    plan: compiled.plan,
    data: new Map([['BTC/USDT', demoSeries]]),
    settings: backtestSettings({ account: { initialCash: 5000 }, from, tradeFrom, to }),
    risk: compiled.graph.risk,
  });
}

describe('TrialPool', () => {
  const pool = new TrialPool(2, dataDir);
  afterAll(() => pool.close());

  it('evaluates trials in a thread with the metrics and period returns of the engine run directly', async () => {
    const tasks = [
      { index: 0, params: { fast: 8, slow: 30 }, window: { from: 0, to: bars }, warmupBars: 0, key: 'k0' },
      {
        index: 1,
        params: { fast: 5, slow: 20 },
        window: { from: 300, to: 600 },
        warmupBars: 100,
        key: 'k1',
        keepEquity: true,
      },
    ];
    const [whole, window] = await pool.evaluate(context, tasks, { cpuLimitMs: 60_000 });
    const expectedWhole = direct({ fast: 8, slow: 30 });
    const t = demoSeries.time;
    const expectedWindow = direct({ fast: 5, slow: 20 }, t[200], t[300], t[600]);
    expect(whole?.ok && whole.metrics.sharpe).toBe(expectedWhole.metrics.sharpe);
    expect(whole?.ok && whole.metrics.trades).toBe(expectedWhole.metrics.tradeCount);
    expect(whole?.ok && [...whole.returns]).toEqual([...periodReturns(expectedWhole.equityColumns.equity)]);
    expect(window?.ok && window.metrics.finalEquity).toBe(expectedWindow.metrics.finalEquity);
    expect(window?.ok && window.equity?.time[0]).toBe(t[300]);
    expect(window?.ok && window.equity?.time.length).toBeLessThanOrEqual(500);
  });

  it('records a combination that does not compile as a failed trial and goes on', async () => {
    const tasks = [
      { index: 0, params: { fast: 30, slow: 10 }, window: { from: 0, to: bars }, warmupBars: 0, key: 'bad' },
      { index: 1, params: { fast: 10, slow: 30 }, window: { from: 0, to: bars }, warmupBars: 0, key: 'good' },
    ];
    const [bad, good] = await pool.evaluate(context, tasks, { cpuLimitMs: 60_000 });
    expect(bad).toMatchObject({ ok: false, index: 0 });
    expect(bad?.ok === false && bad.error).toMatch(/fast \(30\) must be < slow/);
    expect(good?.ok).toBe(true);
  });

  it('stops a batch when aborted and returns the trials done before', async () => {
    const controller = new AbortController();
    controller.abort();
    const tasks = [{ index: 0, params: { fast: 8 }, window: { from: 0, to: bars }, warmupBars: 0, key: 'k' }];
    expect(await pool.evaluate(context, tasks, { cpuLimitMs: 60_000, signal: controller.signal })).toEqual(
      [],
    );
  });
});
