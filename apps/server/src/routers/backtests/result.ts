// backtests.result: metrics, equity curve (downsampled), trades, warnings and provenance of a
// finished run; CONFLICT while it is still queued or running, or when it failed.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { checkOwned, type OwnedRow, RUN_RESULT_COLUMNS } from '../../ownership';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { type RunResultPart, runResultCache } from './result-cache';
import { runId, runStatusView } from './views';

export const resultInput = z.strictObject({ id: runId });

type RunSummary = OwnedRow<'backtestRunSummary'>;

async function loadResultPart(ctx: ProtectedContext, run: RunSummary) {
  const { id, finishedAt } = run;
  const cached = runResultCache.get(id, finishedAt);
  if (cached) {
    // Entries stored before the summary was known get it now (the run is SUCCEEDED, so immutable).
    runResultCache.set(id, finishedAt, cached, run);
    return cached;
  }
  const row = await ctx.prisma.backtestRun.findUniqueOrThrow({ where: { id }, select: RUN_RESULT_COLUMNS });
  const part: RunResultPart = {
    settings: row.settings,
    metrics: row.metrics,
    equity: row.equity,
    trades: row.trades,
    warnings: row.warnings,
    provenance: row.provenance,
  };
  runResultCache.set(id, finishedAt, part, run);
  return part;
}

function resultView(run: RunSummary, part: RunResultPart) {
  return {
    ...runStatusView(run),
    resultOfRunId: run.resultOfRunId,
    settings: part.settings,
    metrics: part.metrics,
    equity: part.equity,
    trades: part.trades,
    warnings: part.warnings ?? [],
    provenance: part.provenance,
    bars: run.bars,
    cpuMs: run.cpuMs,
  };
}

export async function runResult(ctx: ProtectedContext, input: z.infer<typeof resultInput>) {
  // A finished run in the cache: ownership is checked against its remembered (immutable) summary row,
  // with the same NOT_FOUND for anyone else as the query below would give.
  const finished = runResultCache.getFinished<RunSummary>(input.id);
  if (finished) {
    return resultView(checkOwned(ctx, 'backtestRunSummary', input.id, finished.summary), finished.part);
  }
  // Otherwise ownership and status from the database, without the large jsonb columns.
  const run = await requireOwned(ctx, 'backtestRunSummary', input.id);
  if (run.status !== 'SUCCEEDED') {
    throw new ApiError(
      'CONFLICT',
      run.status === 'FAILED'
        ? `Backtest ${run.id} failed, so it has no result: ${run.error ?? 'no reason recorded'}.`
        : `Backtest ${run.id} is ${run.status.toLowerCase()}; poll its status and fetch the result once it has SUCCEEDED.`,
      { status: run.status },
    );
  }
  return resultView(run, await loadResultPart(ctx, run));
}

export const result = protectedProcedure.input(resultInput).query(({ ctx, input }) => runResult(ctx, input));
