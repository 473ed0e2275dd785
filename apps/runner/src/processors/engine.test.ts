import { generateCandles } from '@candleflow/data';
import { describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../quota';
import { PermanentJobError } from '../queue/queue';
import { demoSeries, exampleGraph } from '../test-support/seed';
import { threadEngine } from './engine';

const hooks = () => ({ onProgress: () => {}, signal: new AbortController().signal });

describe('threadEngine', () => {
  it('brings a compile error back from the thread as a permanent error', async () => {
    const request = {
      runId: 'r',
      graph: { ...exampleGraph, edges: [] },
      settings: {},
      series: demoSeries,
      cpuLimitMs: 60_000,
    };

    const failure = threadEngine(request, hooks());

    await expect(failure).rejects.toBeInstanceOf(PermanentJobError);
    await expect(failure).rejects.toThrow(/the strategy does not compile/);
  });

  it('brings a CPU quota breach back with its numbers', async () => {
    const series = generateCandles({ symbol: 'BTC/USDT', timeframe: '1m', start: 0, bars: 100_000, seed: 3 });

    const error = await threadEngine(
      { runId: 'r', graph: exampleGraph, settings: {}, series, cpuLimitMs: 1 },
      hooks(),
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QuotaExceededError);
    expect([(error as QuotaExceededError).quota, (error as QuotaExceededError).limit]).toEqual([
      'cpu_ms_per_job',
      1,
    ]);
  });

  it('reports nothing but stopped for a run cancelled before it starts', async () => {
    const controller = new AbortController();
    controller.abort();

    const outcome = await threadEngine(
      { runId: 'r', graph: exampleGraph, settings: {}, series: demoSeries, cpuLimitMs: 60_000 },
      { onProgress: () => {}, signal: controller.signal },
    );

    expect(outcome).toEqual({ kind: 'stopped' });
  });
});
