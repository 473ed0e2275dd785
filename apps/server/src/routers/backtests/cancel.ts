// backtests.cancel: stops a queued or running backtest. Cancelling a run that has ended changes
// nothing and returns its status.
import { createRunStore } from '@candleflow/db';
import type { JobQueue } from '@candleflow/runner';
import { z } from 'zod';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { runId, runStatusView, TERMINAL } from './views';

export const cancelInput = z.strictObject({ id: runId });

export async function cancelRun(ctx: ProtectedContext, input: z.infer<typeof cancelInput>) {
  const run = await requireOwned(ctx, 'backtestRun', input.id);
  if (TERMINAL.has(run.status)) return runStatusView(run);
  // The queue drops a waiting job and aborts a running one; the row is marked here as well because
  // a job dropped before it started never reaches a handler that would mark it.
  await (ctx.queue as JobQueue | undefined)?.cancel(run.id);
  await createRunStore(ctx.prisma).markCanceled(run.id);
  await audit(ctx, 'job.cancel', { type: 'backtestRun', id: run.id }, { from: run.status });
  return runStatusView(await ctx.prisma.backtestRun.findUniqueOrThrow({ where: { id: run.id } }));
}

export const cancel = traderProcedure.input(cancelInput).mutation(({ ctx, input }) => cancelRun(ctx, input));
