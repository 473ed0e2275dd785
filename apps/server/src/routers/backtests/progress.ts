// backtests.progress: a subscription streaming { status, progress } until the run ends. The queue's
// events wake it at once (in-process and BullMQ alike); a slow poll of the row covers runners in other
// processes and events missed while connecting.
import { z } from 'zod';
import { protectedProcedure, requireOwned } from '../../trpc';
import { watchJob } from '../job-progress';
import { runId } from './views';

export const progressInput = z.strictObject({ id: runId });

export interface ProgressUpdate {
  readonly status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  readonly progress: number;
  readonly error: string | null;
}

export const progress = protectedProcedure.input(progressInput).subscription(async function* ({
  ctx,
  input,
  signal,
}): AsyncGenerator<ProgressUpdate> {
  const run = await requireOwned(ctx, 'backtestRun', input.id);
  let liveFraction = 0;
  yield* watchJob<ProgressUpdate>({
    queue: ctx.queue,
    jobId: run.id,
    signal,
    onEvent: (event) => {
      if (event.type === 'progress') liveFraction = event.fraction;
    },
    read: async () => {
      const row = await ctx.prisma.backtestRun.findUnique({
        where: { id: run.id },
        select: { status: true, progress: true, error: true },
      });
      if (!row) return null;
      const fraction = row.status === 'RUNNING' ? Math.max(row.progress, liveFraction) : row.progress;
      return { status: row.status, progress: fraction, error: row.error };
    },
  });
});
