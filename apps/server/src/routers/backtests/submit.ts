// backtests.submit: checks the strategy version, the dataset and the quota, records a QUEUED run
// (and job.submit) and queues it. The same backtest already computed is answered at once from the
// result cache: a new run of the caller's that copies the stored result, marked servedFromCache.
import { ENGINE_VERSION } from '@candleflow/engine';
import { checkQuota, QuotaExceededError, runCacheKey, settingsHash } from '@candleflow/runner';
import type { GraphInput } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import type { Prisma } from '../../db';
import { ApiError } from '../../errors';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { checkGraph } from '../strategies/graph';
import { backtestSettingsInput, toRunSettings } from './settings';
import { requireQueue, runId, runStatusView } from './views';

export const submitInput = z.strictObject({
  strategyVersionId: runId,
  datasetId: runId,
  settings: backtestSettingsInput.default(backtestSettingsInput.parse({})),
});

export async function submitBacktest(ctx: ProtectedContext, input: z.infer<typeof submitInput>) {
  // Public strategies may be backtested by anyone signed in; the run and its result are the caller's.
  const version = await requireOwned(ctx, 'strategyVersion', input.strategyVersionId, { allowPublic: true });
  const dataset = await requireOwned(ctx, 'dataset', input.datasetId);
  const settings = toRunSettings(input.settings);
  // Parameter values are checked against the declared ranges and constraints now, not in the runner.
  checkGraph(version.graph, ctx.env.MAX_GRAPH_NODES, settings.paramValues);
  try {
    checkQuota({ bars: dataset.bars }, { barsPerJob: ctx.env.QUOTA_BARS_PER_JOB });
  } catch (error) {
    if (error instanceof QuotaExceededError) {
      throw new ApiError('QUOTA_EXCEEDED', `Over your quota: ${error.message}.`, {
        quota: error.quota,
        limit: error.limit,
        actual: error.actual,
      });
    }
    throw error;
  }
  const queue = requireQueue(ctx);
  const hash = settingsHash(settings);
  // Keyed by what decides the result: a version saved with an optimization's best values as defaults
  // is answered by that optimization's final run.
  const cacheKey = runCacheKey(version.graph as GraphInput, settings, dataset.dataHash);
  const base = {
    ownerId: ctx.user.id,
    strategyVersionId: version.id,
    datasetId: dataset.id,
    settings: settings as Prisma.InputJsonValue,
    settingsHash: hash,
    engineVersion: ENGINE_VERSION,
    cacheKey,
  };

  const cached = await ctx.prisma.backtestRun.findFirst({
    where: { cacheKey, status: 'SUCCEEDED', resultOfRunId: null },
    orderBy: { finishedAt: 'asc' },
  });
  if (cached) {
    const now = ctx.clock();
    const run = await ctx.prisma.$transaction(async (tx) => {
      const created = await tx.backtestRun.create({
        data: {
          ...base,
          status: 'SUCCEEDED',
          progress: 1,
          metrics: cached.metrics ?? undefined,
          equity: cached.equity ?? undefined,
          trades: cached.trades ?? undefined,
          warnings: cached.warnings ?? undefined,
          provenance: cached.provenance ?? undefined,
          bars: cached.bars,
          cpuMs: 0,
          queuedAt: now,
          startedAt: now,
          finishedAt: now,
          resultOfRunId: cached.id,
        } as Prisma.BacktestRunUncheckedCreateInput,
      });
      await audit(
        ctx,
        'job.submit',
        { type: 'backtestRun', id: created.id },
        { cacheKey, servedFromCache: true },
        { client: tx },
      );
      return created;
    });
    return runStatusView(run);
  }

  const run = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.backtestRun.create({ data: { ...base, queuedAt: ctx.clock() } });
    await audit(
      ctx,
      'job.submit',
      { type: 'backtestRun', id: created.id },
      { cacheKey, servedFromCache: false },
      { client: tx },
    );
    return created;
  });
  try {
    await queue.add({ id: run.id, userId: ctx.user.id, kind: 'backtest', payload: { runId: run.id } });
  } catch (error) {
    ctx.log.error({ err: error, runId: run.id }, 'could not queue a backtest');
    await ctx.prisma.backtestRun.update({
      where: { id: run.id },
      data: { status: 'FAILED', error: 'the job queue did not accept the run', finishedAt: ctx.clock() },
    });
    throw new ApiError(
      'UNAVAILABLE',
      'The job queue is not reachable; the run was not started. Try again shortly.',
    );
  }
  return runStatusView(run);
}

export const submit = traderProcedure
  .input(submitInput)
  .mutation(({ ctx, input }) => submitBacktest(ctx, input));
