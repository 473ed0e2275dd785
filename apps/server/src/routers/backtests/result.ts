// backtests.result: metrics, equity curve (downsampled), trades, warnings and provenance of a
// finished run; CONFLICT while it is still queued or running, or when it failed.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { RUN_RESULT_COLUMNS } from '../../ownership';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { type RunResultPart, runResultCache } from './result-cache';
import { runId, runStatusView } from './views';

export const resultInput = z.strictObject({ id: runId });

async function loadResultPart(ctx: ProtectedContext, id: string, finishedAt: Date | null) {
  const cached = runResultCache.get(id, finishedAt);
  if (cached) return cached;
  const row = await ctx.prisma.backtestRun.findUniqueOrThrow({ where: { id }, select: RUN_RESULT_COLUMNS });
  const part: RunResultPart = {
    settings: row.settings,
    metrics: row.metrics,
    equity: row.equity,
    trades: row.trades,
    warnings: row.warnings,
    provenance: row.provenance,
  };
  runResultCache.set(id, finishedAt, part);
  return part;
}

export async function runResult(ctx: ProtectedContext, input: z.infer<typeof resultInput>) {
  // Ownership and status on every request, without the large jsonb columns.
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
  const part = await loadResultPart(ctx, run.id, run.finishedAt);
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

export const result = protectedProcedure.input(resultInput).query(({ ctx, input }) => runResult(ctx, input));
