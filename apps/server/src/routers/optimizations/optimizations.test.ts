// Optimizations through the real server on both databases: every refusal before any job starts (each
// saying what and where, writing nothing), submit recording and queuing the job, cancel of a queued
// one, the trials table, the heat map and apply over stored trials, the progress subscription, and
// another user's optimizations being NOT_FOUND everywhere.
import { BACKENDS } from '@candleflow/db';
import { ENGINE_VERSION } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import { type BestTrial, OptimizeSpecSchema, type TrialMetrics } from '@candleflow/optimize';
import { settingsHash } from '@candleflow/runner';
import { compile, type Graph } from '@candleflow/strategy-dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, leaksInternals, mutate, query } from '../../test-support/server';
import {
  type Platform,
  rowCounts,
  startPlatform,
  waitFor,
  wsClientFor,
} from '../backtests/test-support/platform';

/** fast × slow on a 4 × 3 grid, the other parameters held: 11 combinations keep fast < slow. */
const SMALL_GRID = {
  method: 'grid',
  ranges: {
    fast: { min: 5, max: 20, step: 5 },
    slow: { min: 20, max: 60, step: 20 },
    rsiPeriod: { fixed: 14 },
    rsiMax: { fixed: 70 },
    atrMult: { fixed: 2 },
  },
  monteCarlo: null,
} as const;

interface ErrorData {
  code: string;
  details?: { issues?: Array<{ path: string; message: string; hint?: string }> } & Record<string, unknown>;
}

/** The error's data (code, details), or an empty object when the call did not fail. */
const errorData = (res: { error?: { data: unknown } | undefined }) => (res.error?.data ?? {}) as ErrorData;

const METRICS: TrialMetrics = {
  sharpe: 1,
  sortino: 1,
  calmar: 1,
  totalReturnPct: 5,
  annualReturnPct: 20,
  profitFactor: 1.4,
  maxDrawdownPct: 8,
  trades: 12,
  winRatePct: 50,
  finalEquity: 10_500,
};

async function setUp(p: Platform, caller: Caller) {
  const strategy = await mutate<{ strategy: { id: string }; version: { id: string } }>(
    p.app,
    'strategies.create',
    { template: 'ema-cross' },
    caller,
  );
  const dataset = await mutate<{ id: string }>(p.app, 'datasets.generate', { bars: 2000 }, caller);
  return {
    strategyId: strategy.data.strategy.id,
    versionId: strategy.data.version.id,
    datasetId: dataset.data.id,
  };
}

describe.each(BACKENDS)('optimizations on %s', (backend) => {
  let p: Platform;
  let ids: Awaited<ReturnType<typeof setUp>>;
  const a = () => p.users.a.caller;
  const request = (spec: unknown = SMALL_GRID, extra: Record<string, unknown> = {}) => ({
    strategyVersionId: ids.versionId,
    datasetId: ids.datasetId,
    spec,
    ...extra,
  });
  /** A's optimization as the runner would have left it: rows written directly, no job involved. */
  async function stored(data: { status?: 'QUEUED' | 'SUCCEEDED'; best?: BestTrial } = {}) {
    return p.db.prisma.optimization.create({
      data: {
        ownerId: p.users.a.id,
        strategyVersionId: ids.versionId,
        datasetId: ids.datasetId,
        spec: OptimizeSpecSchema.parse(SMALL_GRID),
        settings: {},
        settingsHash: 's',
        engineVersion: 'e',
        status: data.status ?? 'QUEUED',
        ...(data.best ? { best: data.best as object } : {}),
      },
    });
  }

  beforeAll(async () => {
    p = await startPlatform({
      backend,
      env: { QUOTA_BARS_PER_JOB: '5000', QUOTA_TRIALS_PER_OPTIMIZATION: '1000' },
    });
    ids = await setUp(p, a());
  });
  afterAll(async () => {
    await p?.close();
  });

  it('estimates a grid: combinations, the trials that keep fast < slow, and the searched dimensions', async () => {
    const res = await query<{
      trials: number;
      searchTrials: number;
      gridSize: number | null;
      folds: number;
      dimensions: Array<{ name: string; values: unknown[] | null }>;
      objectiveLabel: string;
    }>(p.app, 'optimizations.estimate', request(), a());

    expect(res.error).toBeUndefined();
    expect(res.data).toMatchObject({ trials: 11, searchTrials: 11, gridSize: 12, folds: 0 });
    expect(res.data.dimensions.map((d) => [d.name, d.values])).toEqual([
      ['fast', [5, 10, 15, 20]],
      ['slow', [20, 40, 60]],
    ]);
    expect(res.data.objectiveLabel).toMatch(/sharpe/i);
  });

  it('counts walk-forward trials: the search again in each fold plus one out-of-sample test per fold', async () => {
    const res = await query<{ trials: number; folds: number }>(
      p.app,
      'optimizations.estimate',
      request({ ...SMALL_GRID, walkForward: { folds: 3 } }),
      a(),
    );
    expect(res.error).toBeUndefined();
    expect(res.data).toMatchObject({ folds: 3, trials: 11 * 4 + 3 });
  });

  it('refuses bad ranges, absurd grids and settings an optimization decides, each naming the field, writing nothing', async () => {
    const before = await rowCounts(p.db);
    const refusal = async (input: unknown) => {
      const res = await mutate(p.app, 'optimizations.submit', input, a());
      expect(leaksInternals(res.res.body)).toBe(false);
      return { status: res.status, message: res.error?.message ?? '', data: errorData(res) };
    };

    const unknown = await refusal(request({ ranges: { fsat: { min: 5, max: 10 } } }));
    const inverted = await refusal(request({ ranges: { fast: { min: 50, max: 10 } } }));
    const fraction = await refusal(request({ ranges: { fast: { min: 5.5, max: 10 } } }));
    const huge = await refusal(
      request({ method: 'grid', ranges: { atrMult: { min: 0.5, max: 6, step: 0.01 } } }),
    );
    const nothingValid = await refusal(
      request({
        ...SMALL_GRID,
        ranges: { ...SMALL_GRID.ranges, fast: { min: 70, max: 80 }, slow: { fixed: 20 } },
      }),
    );
    const params = await refusal(request(SMALL_GRID, { settings: { paramValues: { fast: 10 } } }));
    const window = await refusal(request(SMALL_GRID, { settings: { from: 0 } }));
    const schema = await refusal(request({ ...SMALL_GRID, trials: 0 }));

    expect(unknown).toMatchObject({ status: 400, data: { code: 'BAD_REQUEST' } });
    expect(unknown.data.details?.issues?.[0]).toMatchObject({
      path: 'spec.ranges.fsat',
      hint: expect.stringMatching(/fast/),
    });
    expect(unknown.message).toMatch(
      /^Cannot optimize: spec\.ranges\.fsat: .*'fsat'.*\. Did you mean 'fast'\?$/,
    );
    expect(inverted.data.details?.issues?.[0]).toMatchObject({
      path: 'spec.ranges.fast.min',
      message: expect.stringMatching(/inverted/),
    });
    expect(fraction.data.details?.issues?.[0]?.path).toBe('spec.ranges.fast.min');
    // The count and a way out, before any job starts.
    expect(huge.data.code).toBe('BAD_REQUEST');
    expect(huge.message).toMatch(/\d{1,3}(,\d{3}){2,}/);
    expect(`${huge.message} ${JSON.stringify(huge.data.details)}`).toMatch(/random|bayesian|step/i);
    expect(nothingValid.data.code).toBe('BAD_REQUEST');
    expect(nothingValid.message).toMatch(/fast < slow|constraint/);
    expect(params.data.details?.issues?.[0]).toMatchObject({
      path: 'settings.paramValues.fast',
      hint: expect.stringMatching(/spec\.ranges\.fast.*fixed/),
    });
    expect(window.data.details?.issues?.[0]?.path).toBe('settings.from');
    expect(schema.data.code).toBe('VALIDATION_FAILED');
    expect(schema.data.details?.issues?.[0]?.path).toBe('spec.trials');
    expect(await rowCounts(p.db)).toEqual(before);
    expect(await p.db.prisma.optimization.count()).toBe(0);
  });

  it('refuses a strategy version that does not compile, naming the node', async () => {
    const graph = compile(
      (await p.db.prisma.strategyVersion.findUniqueOrThrow({ where: { id: ids.versionId } })).graph,
      catalog,
    ).graph as Graph;
    // Without its first wire, a node misses an input: the compiler names it.
    const broken = { ...graph, edges: graph.edges.slice(1) };
    const diagnostics = compile(broken, catalog).diagnostics.filter((d) => d.severity === 'error');
    const node = diagnostics[0]?.nodeId;
    expect(node).toEqual(expect.any(String));
    const version = await p.db.prisma.strategyVersion.create({
      data: {
        strategyId: ids.strategyId,
        number: 99,
        graph: broken,
        dslText: '',
        contentHash: 'broken',
        params: graph.params,
        createdById: p.users.a.id,
      },
    });

    const res = await query(
      p.app,
      'optimizations.estimate',
      { ...request(), strategyVersionId: version.id },
      a(),
    );

    expect(errorData(res).code).toBe('COMPILE_FAILED');
    expect(res.error?.message).toContain(`node ${node}`);
    await p.db.prisma.strategyVersion.delete({ where: { id: version.id } });
  });

  it('refuses a dataset too short for the walk-forward windows, with the bars it needs', async () => {
    const short = await mutate<{ id: string }>(p.app, 'datasets.generate', { bars: 60 }, a());

    const res = await query(
      p.app,
      'optimizations.estimate',
      { ...request({ ...SMALL_GRID, walkForward: { folds: 5 } }), datasetId: short.data.id },
      a(),
    );

    const data = errorData(res);
    expect(data.code).toBe('BAD_REQUEST');
    expect(data.details?.issues?.[0]?.path).toBe('spec.walkForward');
    expect(res.error?.message).toMatch(
      /too short for 5 walk-forward folds: the dataset has \d+ bars after \d+ warm-up bars/,
    );
    expect(data.details?.neededBars).toEqual(expect.any(Number));
    expect(data.details?.neededBars as number).toBeGreaterThan(60);
  });

  it('refuses optimizations over the quotas: bars per trial, trials per optimization', async () => {
    const big = await mutate<{ id: string }>(p.app, 'datasets.generate', { bars: 6000 }, a());

    const bars = await query(p.app, 'optimizations.estimate', { ...request(), datasetId: big.data.id }, a());
    const trials = await query(
      p.app,
      'optimizations.estimate',
      request({
        ...SMALL_GRID,
        ranges: { ...SMALL_GRID.ranges, fast: { min: 2, max: 40 }, slow: { min: 41, max: 100 } },
      }),
      a(),
    );

    expect([bars.status, errorData(bars).details]).toEqual([
      429,
      { quota: 'bars_per_job', limit: 5000, actual: 6000 },
    ]);
    expect([trials.status, errorData(trials).details]).toEqual([
      429,
      { quota: 'trials_per_optimization', limit: 1000, actual: 39 * 60 },
    ]);
    expect(bars.error?.message).toMatch(
      /each trial backtests the whole dataset of 6,000 bars; the limit per job is 5,000 bars/,
    );
    expect(trials.error?.message).toMatch(/2,340 trials; the limit is 1,000 per optimization/);
  });

  it('submits: a QUEUED optimization with the spec and settings filled in, audited and queued under its id', async () => {
    const res = await mutate<{ id: string }>(
      p.app,
      'optimizations.submit',
      request(SMALL_GRID, { settings: { takerFee: 0.0004 } }),
      a(),
    );

    expect(res.error).toBeUndefined();
    const row = await p.db.prisma.optimization.findUniqueOrThrow({ where: { id: res.data.id } });
    const settings = row.settings as { backtest: { execution: { takerFee: number } }; paramValues?: unknown };
    expect(row.spec).toEqual(OptimizeSpecSchema.parse(SMALL_GRID));
    expect(settings.backtest.execution.takerFee).toBe(0.0004);
    expect(settings).not.toHaveProperty('paramValues');
    expect([row.settingsHash, row.engineVersion, row.ownerId]).toEqual([
      settingsHash(row.settings),
      ENGINE_VERSION,
      p.users.a.id,
    ]);
    expect(await p.db.prisma.auditEvent.count({ where: { action: 'job.submit', targetId: row.id } })).toBe(1);
    // Queued: either still waiting in the queue, or already picked up by a runner.
    const depth = await p.queue.depth();
    const picked =
      (await p.db.prisma.optimization.findUniqueOrThrow({ where: { id: row.id } })).status !== 'QUEUED';
    expect(depth.waiting + depth.active > 0 || picked).toBe(true);
    await mutate(p.app, 'optimizations.cancel', { id: row.id }, a());
  });

  it('cancels a queued optimization at once; a second cancel changes nothing', async () => {
    const queued = await stored();

    const first = await mutate<{ status: string }>(p.app, 'optimizations.cancel', { id: queued.id }, a());
    const second = await mutate<{ status: string }>(p.app, 'optimizations.cancel', { id: queued.id }, a());

    expect([first.data.status, second.data.status]).toEqual(['CANCELED', 'CANCELED']);
    expect(
      (await p.db.prisma.optimization.findUniqueOrThrow({ where: { id: queued.id } })).finishedAt,
    ).not.toBeNull();
    expect(await p.db.prisma.auditEvent.count({ where: { action: 'job.cancel', targetId: queued.id } })).toBe(
      1,
    );
  });

  it('streams progress over a WebSocket subscription and completes once the optimization ends', async () => {
    const queued = await stored();
    const { client, close: closeWs } = await wsClientFor(p, a());
    try {
      const seen: Array<{ status: string; stage: string }> = [];
      const done = new Promise<void>((resolve, reject) => {
        client.optimizations.progress.subscribe(
          { id: queued.id },
          { onData: (u) => seen.push(u), onComplete: resolve, onError: reject },
        );
      });
      await waitFor('the first progress event', async () => (seen.length > 0 ? true : undefined));
      await client.optimizations.cancel.mutate({ id: queued.id });
      await done;

      expect(seen[0]).toMatchObject({ status: 'QUEUED', doneTrials: 0, best: null });
      expect(seen.at(-1)).toMatchObject({ status: 'CANCELED', stage: 'canceled' });
    } finally {
      closeWs();
    }
  });

  describe('over stored trials', () => {
    const best: BestTrial = {
      index: 4,
      params: { fast: 10, slow: 40, rsiPeriod: 14, rsiMax: 70, atrMult: 2 },
      objective: 2.5,
      metrics: METRICS,
    };
    let id: string;
    beforeAll(async () => {
      id = (await stored({ status: 'SUCCEEDED', best })).id;
      const trial = (index: number, fast: number, slow: number, objective: number | null, extra = {}) => ({
        optimizationId: id,
        index,
        phase: 'SEARCH' as const,
        params: { fast, slow, rsiPeriod: 14, rsiMax: 70, atrMult: 2 },
        resultKey: `k${index}`,
        objective,
        feasible: objective !== null,
        metrics: METRICS as object,
        evaluatedAt: new Date(),
        ...extra,
      });
      await p.db.prisma.optimizationTrial.createMany({
        data: [
          trial(0, 5, 20, 0.5),
          trial(1, 5, 40, null, { note: 'flat equity: Sharpe undefined' }),
          trial(2, 10, 20, -1),
          trial(3, 5, 20, 1.5),
          trial(4, 10, 40, 2.5),
          trial(5, 15, 60, 0.75, { feasible: false, note: '3 trades, fewer than the minimum 10' }),
          trial(6, 20, 60, null, { evaluatedAt: null, metrics: undefined }),
          trial(7, 10, 40, 1, { phase: 'IN_SAMPLE', fold: 0 }),
        ],
      });
    });

    it('pages the evaluated trials best first, trials without an objective last, by phase and fold', async () => {
      const page1 = await query<{ total: number; rows: Array<{ index: number }> }>(
        p.app,
        'optimizations.trials',
        { id, phase: 'search', limit: 4 },
        a(),
      );
      const page2 = await query<{ total: number; rows: Array<{ index: number }> }>(
        p.app,
        'optimizations.trials',
        { id, phase: 'search', limit: 4, offset: 4 },
        a(),
      );
      const worstFirst = await query<{ rows: Array<{ index: number }> }>(
        p.app,
        'optimizations.trials',
        { id, phase: 'search', order: 'asc' },
        a(),
      );
      const fold = await query<{
        total: number;
        rows: Array<{ index: number; phase: string; fold: number }>;
      }>(p.app, 'optimizations.trials', { id, phase: 'in_sample', fold: 0 }, a());

      expect(page1.data.total).toBe(6);
      expect([...page1.data.rows, ...page2.data.rows].map((r) => r.index)).toEqual([4, 3, 5, 0, 2, 1]);
      expect(worstFirst.data.rows.map((r) => r.index)).toEqual([2, 0, 5, 3, 4, 1]);
      expect(fold.data.rows).toMatchObject([{ index: 7, phase: 'in_sample', fold: 0 }]);
    });

    it('draws the heat map of two searched parameters from the feasible search trials', async () => {
      const res = await query<{
        x: { values: number[] };
        y: { values: number[] };
        cells: (number | null)[][];
      }>(p.app, 'optimizations.heatmap', { id, x: 'fast', y: 'slow' }, a());
      const notSearched = await query(p.app, 'optimizations.heatmap', { id, x: 'fast', y: 'rsiMax' }, a());

      expect(res.data.x.values).toEqual([5, 10, 15, 20]);
      expect(res.data.y.values).toEqual([20, 40, 60]);
      expect(res.data.cells).toEqual([
        [1.5, -1, null, null],
        [null, 2.5, null, null],
        [null, null, null, null],
      ]);
      expect(errorData(notSearched).details?.issues?.[0]).toMatchObject({ path: 'y' });
      expect(notSearched.error?.message).toMatch(/"rsiMax" is not a searched parameter.*fast, slow/);
    });

    it("draws one walk-forward fold's in-sample trials when asked, and refuses a fold the optimization lacks", async () => {
      const folded = await p.db.prisma.optimization.create({
        data: {
          ownerId: p.users.a.id,
          strategyVersionId: ids.versionId,
          datasetId: ids.datasetId,
          spec: OptimizeSpecSchema.parse({ ...SMALL_GRID, walkForward: { folds: 2 } }),
          settings: {},
          settingsHash: 's',
          engineVersion: 'e',
          status: 'SUCCEEDED',
        },
      });
      const trial = (index: number, phase: 'SEARCH' | 'IN_SAMPLE', fold: number | null, fast: number) => ({
        optimizationId: folded.id,
        index,
        phase,
        fold,
        params: { fast, slow: 40, rsiPeriod: 14, rsiMax: 70, atrMult: 2 },
        resultKey: `f${index}`,
        objective: index,
        feasible: true,
        evaluatedAt: new Date(),
      });
      await p.db.prisma.optimizationTrial.createMany({
        data: [
          trial(1, 'SEARCH', null, 5),
          trial(2, 'IN_SAMPLE', 0, 5),
          trial(3, 'IN_SAMPLE', 1, 5),
          trial(4, 'IN_SAMPLE', 1, 10),
        ],
      });
      const map = (input: Record<string, unknown>) =>
        query<{ cells: (number | null)[][] }>(
          p.app,
          'optimizations.heatmap',
          { id: folded.id, x: 'fast', y: 'slow', ...input },
          a(),
        );

      const slow40 = async (input: Record<string, unknown>) => (await map(input)).data.cells[1];
      expect(await slow40({})).toEqual([1, null, null, null]);
      expect(await slow40({ fold: 0 })).toEqual([2, null, null, null]);
      expect(await slow40({ fold: 1 })).toEqual([3, 4, null, null]);
      const missing = await map({ fold: 2 });
      const noFolds = await query(p.app, 'optimizations.heatmap', { id, x: 'fast', y: 'slow', fold: 0 }, a());
      expect(errorData(missing).details?.issues?.[0]).toMatchObject({ path: 'fold' });
      expect(missing.error?.message).toContain('2 walk-forward folds, numbered 0 to 1');
      expect(noFolds.error?.message).toContain('no walk-forward folds');
    });

    it("applies the best trial as a new version whose defaults are the trial's values and which compiles cleanly", async () => {
      const res = await mutate<{ strategyId: string; versionId: string; number: number }>(
        p.app,
        'optimizations.applyTrial',
        { id },
        a(),
      );
      const chosen = await mutate<{ versionId: string }>(
        p.app,
        'optimizations.applyTrial',
        { id, trialIndex: 2 },
        a(),
      );
      const missing = await mutate(p.app, 'optimizations.applyTrial', { id, trialIndex: 999 }, a());

      expect(res.error).toBeUndefined();
      expect(res.data.strategyId).toBe(ids.strategyId);
      const version = await p.db.prisma.strategyVersion.findUniqueOrThrow({
        where: { id: res.data.versionId },
      });
      const graph = version.graph as Graph;
      const defaults = Object.fromEntries(graph.params.map((param) => [param.name, param.default]));
      expect(defaults).toEqual(best.params);
      const compiled = compile(graph, catalog);
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(version.dslText).toContain('fast');
      const other = await p.db.prisma.strategyVersion.findUniqueOrThrow({
        where: { id: chosen.data.versionId },
      });
      expect((other.graph as Graph).params.find((param) => param.name === 'slow')?.default).toBe(20);
      expect(errorData(missing).code).toBe('NOT_FOUND');
      const audits = await p.db.prisma.auditEvent.findMany({
        where: { action: 'optimization.apply', targetId: id },
      });
      expect(audits.map((e) => (e.details as { versionId: string }).versionId).sort()).toEqual(
        [res.data.versionId, chosen.data.versionId].sort(),
      );
    });

    it("never shows or touches another user's optimization; viewers cannot submit or apply", async () => {
      const b = p.users.b.caller;
      const v = p.users.v.caller;
      for (const [path, input] of [
        ['optimizations.get', { id }],
        ['optimizations.trials', { id }],
        ['optimizations.heatmap', { id, x: 'fast', y: 'slow' }],
      ] as const) {
        expect((await query(p.app, path, input, b)).error?.data.code, path).toBe('NOT_FOUND');
      }
      for (const [path, input] of [
        ['optimizations.cancel', { id }],
        ['optimizations.applyTrial', { id }],
        ['optimizations.submit', request()],
      ] as const) {
        expect((await mutate(p.app, path, input, b)).error?.data.code, path).toBe('NOT_FOUND');
        expect((await mutate(p.app, path, input, v)).error?.data.code, path).toBe('FORBIDDEN');
      }
      expect((await query<unknown[]>(p.app, 'optimizations.list', undefined, b)).data).toEqual([]);
      const own = await query<Array<{ id: string }>>(
        p.app,
        'optimizations.list',
        { strategyId: ids.strategyId },
        a(),
      );
      expect(own.data.map((o) => o.id)).toContain(id);
    });
  });

  it("lists each optimization with its trial counts, dataset, end time and a failed run's error", async () => {
    const finishedAt = new Date('2030-03-04T05:07:00.000Z');
    const failed = await p.db.prisma.optimization.create({
      data: {
        ownerId: p.users.a.id,
        strategyVersionId: ids.versionId,
        datasetId: ids.datasetId,
        spec: OptimizeSpecSchema.parse(SMALL_GRID),
        settings: {},
        settingsHash: 's',
        engineVersion: 'e',
        status: 'FAILED',
        totalTrials: 11,
        doneTrials: 4,
        error: 'trial 4: the engine ran out of memory',
        finishedAt,
      },
    });
    const dataset = await p.db.prisma.dataset.findUniqueOrThrow({ where: { id: ids.datasetId } });

    const res = await query<Array<Record<string, unknown>>>(
      p.app,
      'optimizations.list',
      { strategyId: ids.strategyId },
      a(),
    );

    expect(res.data.find((o) => o.id === failed.id)).toMatchObject({
      status: 'FAILED',
      doneTrials: 4,
      totalTrials: 11,
      datasetName: dataset.name,
      error: 'trial 4: the engine ran out of memory',
      finishedAt: finishedAt.toISOString(),
    });
  });

  it('marks the optimization FAILED and says so when the queue refuses the job', async () => {
    await p.queue.close();
    const res = await mutate(p.app, 'optimizations.submit', request(), a());
    expect([res.status, res.error?.data.code]).toEqual([503, 'UNAVAILABLE']);
    const row = await p.db.prisma.optimization.findFirstOrThrow({ orderBy: { queuedAt: 'desc' } });
    expect([row.status, row.error]).toEqual(['FAILED', 'the job queue did not accept the optimization']);
  });
});
