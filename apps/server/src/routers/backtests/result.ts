// backtests.result: metrics, equity curve (downsampled), trades, warnings and provenance of a
// finished run; CONFLICT while it is still queued or running, or when it failed.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { runId, runStatusView } from './views';

export const resultInput = z.strictObject({ id: runId });

export async function runResult(ctx: ProtectedContext, input: z.infer<typeof resultInput>) {
  const run = await requireOwned(ctx, 'backtestRun', input.id);
  if (run.status !== 'SUCCEEDED') {
    throw new ApiError(
      'CONFLICT',
      run.status === 'FAILED'
        ? `Backtest ${run.id} failed, so it has no result: ${run.error ?? 'no reason recorded'}.`
        : `Backtest ${run.id} is ${run.status.toLowerCase()}; poll its status and fetch the result once it has SUCCEEDED.`,
      { status: run.status },
    );
  }
  return {
    ...runStatusView(run),
    resultOfRunId: run.resultOfRunId,
    settings: run.settings,
    metrics: run.metrics,
    equity: run.equity,
    trades: run.trades,
    warnings: run.warnings ?? [],
    provenance: run.provenance,
    bars: run.bars,
    cpuMs: run.cpuMs,
  };
}

export const result = protectedProcedure.input(resultInput).query(({ ctx, input }) => runResult(ctx, input));
