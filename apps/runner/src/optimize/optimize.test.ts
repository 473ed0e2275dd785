// Optimizations end to end on the embedded runner: the in-process queue, the optimize parent, trials
// batches on worker threads, and packages/db's store on the real databases.
import { createOptimizationStore, openTestDatabase, type PrismaClient } from '@candleflow/db';
import { backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import type { OptimizationReport, TrialMetrics } from '@candleflow/optimize';
import { bindFeedsToData, compile } from '@candleflow/strategy-dsl';
import { createRunStore } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runner, startInProcessRunner } from '../main';
import type { JobEvent } from '../queue/queue';
import { waitFor } from '../test-support/redis';
import { createOptimization, optimizationSettings, smallGrid } from '../test-support/optimization';
import { demoSeries, exampleGraph, type Seeded, seedBacktestInputs } from '../test-support/seed';

function engineMetrics(params: Record<string, number | string | boolean>) {
  const bound = bindFeedsToData(exampleGraph, catalog, demoSeries).graph;
  const compiled = compile(bound, catalog, { paramValues: params });
  if (!compiled.ok) throw new Error('the example does not compile with these values');
  return runBacktest({
    plan: compiled.plan,
    data: new Map([['BTC/USDT', demoSeries]]),
    settings: backtestSettings(optimizationSettings.backtest),
    risk: compiled.graph.risk,
  }).metrics;
}

describe('optimizations on the embedded runner', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let prisma: PrismaClient;
  let runner: Runner;
  let seeded: Seeded;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    prisma = db.prisma;
    seeded = await seedBacktestInputs(prisma, db.dataDir, 'optimize@example.com');
    runner = startInProcessRunner({
      store: createRunStore(prisma),
      optimizationStore: createOptimizationStore<TrialMetrics>(prisma),
      dataDir: db.dataDir,
      trialThreads: 2,
    });
  });

  afterAll(async () => {
    await runner?.close();
    await db?.close();
  });

  async function optimize(spec: Parameters<typeof createOptimization>[2]) {
    const id = await createOptimization(prisma, seeded, spec);
    const events: JobEvent[] = [];
    runner.queue.subscribe(id, (event) => events.push(event));
    await runner.queue.add({ id, userId: seeded.userId, kind: 'optimize', payload: { optimizationId: id } });
    await waitFor(`optimization ${id} to end`, () => events.some((e) => e.type !== 'progress'), 60_000);
    const row = await prisma.optimization.findUniqueOrThrow({ where: { id } });
    const trials = await prisma.optimizationTrial.findMany({
      where: { optimizationId: id },
      orderBy: { index: 'asc' },
    });
    return { id, row, trials, events, report: row.report as unknown as OptimizationReport };
  }

  it('runs every valid grid combination and reports the best one, equal to the engine run directly', async () => {
    const { row, trials, report, events } = await optimize(smallGrid);

    expect(row.error).toBeNull();
    expect([row.status, row.progress, row.totalTrials, row.doneTrials]).toEqual(['SUCCEEDED', 1, 10, 10]);
    expect(trials).toHaveLength(10);
    expect(trials.every((t) => t.evaluatedAt !== null && t.phase === 'SEARCH' && !t.cached)).toBe(true);
    expect(
      trials.some(
        (t) => (t.params as { fast: number }).fast === 25 && (t.params as { slow: number }).slow === 20,
      ),
    ).toBe(false);
    const feasible = trials.filter((t) => t.feasible && t.objective !== null);
    const top = Math.max(...feasible.map((t) => t.objective!));
    expect(report.best?.objective).toBe(top);
    const direct = engineMetrics(report.best!.params as Record<string, number>);
    expect(report.best?.metrics.sharpe).toBe(direct.sharpe);
    expect(report.best?.metrics.trades).toBe(direct.tradeCount);
    expect(report.trials).toEqual({ total: 10, feasible: feasible.length, cached: 0, failed: 0 });
    const finalRun = await prisma.backtestRun.findUniqueOrThrow({ where: { id: report.finalRunId! } });
    expect(finalRun.status).toBe('SUCCEEDED');
    expect((finalRun.metrics as { sharpe: number }).sharpe).toBe(direct.sharpe);
    expect(report.monteCarlo?.runs).toBe(200);
    expect(report.importance?.parameters.map((p) => p.name).sort()).toEqual(['atrMult', 'fast', 'slow']);
    expect(report.overfitting.deflatedSharpe !== null || report.overfitting.notes.length > 0).toBe(true);
    expect(await prisma.trialResult.count()).toBe(10);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ type: 'completed' });
  });

  it('answers the same optimization again from stored results without computing a trial', async () => {
    const before = await prisma.trialResult.count();
    const { row, trials, report } = await optimize(smallGrid);

    expect([row.status, row.doneTrials, row.cachedTrials]).toEqual(['SUCCEEDED', 10, 10]);
    expect(trials.every((t) => t.cached)).toBe(true);
    expect(await prisma.trialResult.count()).toBe(before);
    expect(report.trials.cached).toBe(10);
  });

  it('plans a random search whose budget exceeds the valid combinations as the combinations that exist', async () => {
    // smallGrid's space has 10 combinations that keep fast < slow; a budget of 50 cannot be spent.
    const { row, trials } = await optimize({ ...smallGrid, method: 'random', trials: 50 });

    expect([row.status, row.totalTrials, row.doneTrials, row.progress]).toEqual(['SUCCEEDED', 10, 10, 1]);
    expect(trials).toHaveLength(10);
  });

  it('completes a Bayesian search within its budget', async () => {
    const { row, trials } = await optimize({
      method: 'bayesian',
      trials: 12,
      ranges: {
        fast: { min: 3, max: 20 },
        slow: { min: 21, max: 80 },
        rsiPeriod: { fixed: 14 },
        rsiMax: { fixed: 70 },
      },
      monteCarlo: null,
      reuseResults: false,
    });

    expect(row.status).toBe('SUCCEEDED');
    expect(trials).toHaveLength(12);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(12);
  });

  it('stops every trial when cancelled and records the optimization as cancelled', async () => {
    const id = await createOptimization(prisma, seeded, {
      ...smallGrid,
      ranges: {
        ...smallGrid.ranges,
        fast: { min: 2, max: 29, step: 1 },
        slow: { min: 30, max: 59, step: 1 },
      },
      reuseResults: false,
    });
    const events: JobEvent[] = [];
    runner.queue.subscribe(id, (event) => events.push(event));
    await runner.queue.add({ id, userId: seeded.userId, kind: 'optimize', payload: { optimizationId: id } });
    await waitFor(
      'a first batch',
      () => events.some((e) => e.type === 'progress' && (e.detail as { doneTrials: number }).doneTrials > 0),
      30_000,
    );
    await runner.queue.cancel(id);
    await waitFor('the cancellation to settle', () => events.some((e) => e.type !== 'progress'), 30_000);
    const settledAt = new Date();
    const evaluated = () =>
      prisma.optimizationTrial.count({ where: { optimizationId: id, evaluatedAt: { not: null } } });
    const atSettle = await evaluated();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const row = await prisma.optimization.findUniqueOrThrow({ where: { id } });
    expect(events.at(-1)).toEqual({ type: 'canceled' });
    expect(row.status).toBe('CANCELED');
    expect(atSettle).toBeLessThan(row.totalTrials);
    expect(await evaluated()).toBe(atSettle);
    const late = await prisma.optimizationTrial.count({
      where: { optimizationId: id, evaluatedAt: { gt: settledAt } },
    });
    expect(late).toBe(0);
    expect((await runner.queue.depth()).active).toBe(0);
  });

  it('runs walk-forward folds and stitches their out-of-sample curves', async () => {
    const { row, trials, report } = await optimize({
      ...smallGrid,
      walkForward: { mode: 'rolling', folds: 2, oosRatio: 0.25 },
    });

    expect(row.status).toBe('SUCCEEDED');
    const wf = report.walkForward!;
    expect(wf.folds).toHaveLength(2);
    expect(trials.filter((t) => t.phase === 'IN_SAMPLE')).toHaveLength(20);
    expect(trials.filter((t) => t.phase === 'OUT_OF_SAMPLE')).toHaveLength(2);
    expect(wf.folds[0]!.outOfSample.from).toBe(wf.folds[0]!.inSample.to);
    expect(wf.stitched.time.length).toBeGreaterThan(10);
    expect(wf.stitched.equity[0]).toBe(5000);
  });
});
