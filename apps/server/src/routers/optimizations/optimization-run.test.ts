// Optimizations run for real through the server on both databases: the in-process queue with the
// runner's optimize and trials jobs. A small grid streams progress over a WebSocket subscription to a
// report; the trials page and sort, the heat map equals the maximum over the stored trials, applying the
// best trial makes a version that compiles and whose backtest is answered from the result cache; and a
// running optimization stops on cancel.
import { BACKENDS } from '@candleflow/db';
import { catalog } from '@candleflow/nodes';
import type { OptimizeSpecInput, ParamSet } from '@candleflow/optimize';
import { compile, type Graph } from '@candleflow/strategy-dsl';
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, query } from '../../test-support/server';
import { type Platform, startPlatform, waitFor, wsClientFor } from '../backtests/test-support/platform';
import type { AppRouter } from '../index';

/** 5 × 5 × 2 = 50 combinations, every one with fast < slow. */
const GRID: OptimizeSpecInput = {
  method: 'grid',
  ranges: {
    fast: { values: [5, 8, 10, 12, 15] },
    slow: { values: [20, 30, 40, 50, 60] },
    atrMult: { values: [1.5, 3] },
    rsiPeriod: { fixed: 14 },
    rsiMax: { fixed: 70 },
  },
  monteCarlo: { runs: 200, ruinDrawdownPct: 50 },
};

type Optimization = Awaited<ReturnType<TRPCClient<AppRouter>['optimizations']['get']['query']>>;
type TrialsPage = Awaited<ReturnType<TRPCClient<AppRouter>['optimizations']['trials']['query']>>;

describe.each(BACKENDS)('an optimization run on %s', (backend) => {
  let p: Platform;
  let client: TRPCClient<AppRouter>;
  let close: () => void;
  let ids: { strategyId: string; versionId: string; datasetId: string };

  beforeAll(async () => {
    p = await startPlatform({ backend });
    const a = p.users.a.caller;
    const strategy = await mutate<{ strategy: { id: string }; version: { id: string } }>(
      p.app,
      'strategies.create',
      { template: 'ema-cross' },
      a,
    );
    const dataset = await mutate<{ id: string }>(p.app, 'datasets.generate', { bars: 1500, seed: 7 }, a);
    ids = {
      strategyId: strategy.data.strategy.id,
      versionId: strategy.data.version.id,
      datasetId: dataset.data.id,
    };
    ({ client, close } = await wsClientFor(p, a));
  });
  afterAll(async () => {
    close?.();
    await p?.close();
  });

  it('streams progress to a report; trials, heat map and apply agree with the stored trials', async () => {
    const { id } = await client.optimizations.submit.mutate({
      strategyVersionId: ids.versionId,
      datasetId: ids.datasetId,
      spec: GRID,
    });
    const events = await new Promise<
      Array<{ status: string; progress: number; doneTrials: number; totalTrials: number }>
    >((resolve, reject) => {
      const seen: Array<{ status: string; progress: number; doneTrials: number; totalTrials: number }> = [];
      client.optimizations.progress.subscribe(
        { id },
        { onData: (u) => seen.push(u), onComplete: () => resolve(seen), onError: reject },
      );
    });

    expect(events.at(-1)).toMatchObject({
      status: 'SUCCEEDED',
      progress: 1,
      doneTrials: 50,
      totalTrials: 50,
    });
    expect(events.some((e) => e.status === 'RUNNING' && e.doneTrials > 0 && e.doneTrials < 50)).toBe(true);
    const done = events.map((e) => e.doneTrials);
    expect(done).toEqual([...done].sort((x, y) => x - y));

    const optimization: Optimization = await client.optimizations.get.query({ id });
    expect(optimization).toMatchObject({ status: 'SUCCEEDED', versionNumber: 1, strategyId: ids.strategyId });
    expect(optimization.report?.trials.total).toBe(50);
    expect(optimization.report?.best).toEqual(optimization.best);
    expect(optimization.finalRunId).toEqual(expect.any(String));
    const best = optimization.best;
    if (!best) throw new Error('the grid found no feasible trial on this dataset');

    // Three pages of 20, best first and trials without an objective last: together every trial once.
    const pages: TrialsPage[] = [];
    for (const offset of [0, 20, 40]) {
      pages.push(await client.optimizations.trials.query({ id, phase: 'search', limit: 20, offset }));
    }
    const rows = pages.flatMap((page) => page.rows);
    expect(pages[0]!.total).toBe(50);
    expect(new Set(rows.map((r) => r.index)).size).toBe(50);
    const objectives = rows.map((r) => r.objective);
    const scored = objectives.filter((o): o is number => o !== null);
    expect(objectives.slice(0, scored.length)).toEqual(scored);
    expect(scored).toEqual([...scored].sort((x, y) => y - x));
    expect(rows[0]).toMatchObject({ index: best.index, objective: best.objective });

    // The heat map's cells are the best objective of the feasible trials with those fast and slow values.
    const heat = await client.optimizations.heatmap.query({ id, x: 'fast', y: 'slow' });
    const stored = await p.db.prisma.optimizationTrial.findMany({
      where: { optimizationId: id, phase: 'SEARCH', feasible: true, objective: { not: null } },
    });
    const expected = heat.y.values.map((slow) =>
      heat.x.values.map((fast) => {
        const values = stored
          .filter((t) => (t.params as ParamSet).fast === fast && (t.params as ParamSet).slow === slow)
          .map((t) => t.objective as number);
        return values.length === 0 ? null : Math.max(...values);
      }),
    );
    expect(heat.x.values).toEqual([5, 8, 10, 12, 15]);
    expect(heat.cells).toEqual(expected);

    // Apply: a new version whose defaults are the best values, which compiles, and whose backtest with the
    // optimization's settings is the final run already computed.
    const applied = await client.optimizations.applyTrial.mutate({ id });
    expect(applied).toMatchObject({ strategyId: ids.strategyId, number: 2 });
    const version = await p.db.prisma.strategyVersion.findUniqueOrThrow({ where: { id: applied.versionId } });
    const graph = version.graph as Graph;
    expect(Object.fromEntries(graph.params.map((param) => [param.name, param.default]))).toEqual(best.params);
    expect(compile(graph, catalog).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const backtest = await client.backtests.submit.mutate({
      strategyVersionId: applied.versionId,
      datasetId: ids.datasetId,
    });
    expect(backtest).toMatchObject({ status: 'SUCCEEDED', servedFromCache: true });
  });

  it('stops a running optimization on cancel, leaving trials unevaluated', async () => {
    const { id } = await client.optimizations.submit.mutate({
      strategyVersionId: ids.versionId,
      datasetId: ids.datasetId,
      spec: { method: 'random', trials: 2000, seed: 3, monteCarlo: null },
    });
    await waitFor('the optimization to evaluate its first trials', async () => {
      const row = await p.db.prisma.optimization.findUniqueOrThrow({ where: { id } });
      return row.status === 'RUNNING' && row.doneTrials > 0 ? row : undefined;
    });

    await client.optimizations.cancel.mutate({ id });
    const ended = await waitFor('the optimization to end', async () => {
      const res = await query<{ status: string; doneTrials: number }>(
        p.app,
        'optimizations.get',
        { id },
        p.users.a.caller,
      );
      return ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(res.data.status) ? res.data : undefined;
    });

    expect(ended.status).toBe('CANCELED');
    expect(ended.doneTrials).toBeLessThan(2000);
  });
});
