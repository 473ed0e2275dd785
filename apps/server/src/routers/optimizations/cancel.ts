// optimizations.cancel: stops a queued or running optimization. The queue drops a waiting job (marked
// CANCELED here, since no handler will ever see it) and aborts a running one, whose handler cancels its
// outstanding trials and marks it. Cancelling one that has ended changes nothing.
import type { JobQueue } from '@candleflow/runner';
import { z } from 'zod';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { TERMINAL } from '../backtests/views';
import { optimizationId, optimizationStatusView } from './views';

export const cancelInput = z.strictObject({ id: optimizationId });

export async function cancelOptimization(ctx: ProtectedContext, input: z.infer<typeof cancelInput>) {
  const optimization = await requireOwned(ctx, 'optimizationSummary', input.id);
  if (TERMINAL.has(optimization.status)) return optimizationStatusView(optimization);
  await (ctx.queue as JobQueue | undefined)?.cancel(optimization.id);
  // Only a still-queued row: a runner that has started owns the row and marks it when its signal aborts.
  await ctx.prisma.optimization.updateMany({
    where: { id: optimization.id, status: 'QUEUED' },
    data: { status: 'CANCELED', stage: 'canceled', finishedAt: ctx.clock() },
  });
  await audit(
    ctx,
    'job.cancel',
    { type: 'optimization', id: optimization.id },
    { from: optimization.status },
  );
  return optimizationStatusView(
    await ctx.prisma.optimization.findUniqueOrThrow({
      where: { id: optimization.id },
      omit: { report: true },
    }),
  );
}

export const cancel = traderProcedure
  .input(cancelInput)
  .mutation(({ ctx, input }) => cancelOptimization(ctx, input));
