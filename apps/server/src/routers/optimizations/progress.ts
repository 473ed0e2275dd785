// optimizations.progress: a subscription streaming status, progress, trial counts, stage and the best
// trial so far until the optimization ends. The queue's progress events (their detail is the runner's
// OptimizationProgress) wake it at once; a slow poll of the row covers runners in other processes and
// events missed while connecting.
import type { BestTrial, OptimizationProgress } from '@candleflow/optimize';
import { z } from 'zod';
import { protectedProcedure, requireOwned } from '../../trpc';
import { watchJob } from '../job-progress';
import { optimizationId } from './views';

export const progressInput = z.strictObject({ id: optimizationId });

export interface OptimizationProgressUpdate extends OptimizationProgress {
  readonly status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  readonly progress: number;
  readonly error: string | null;
}

function isProgressDetail(detail: unknown): detail is OptimizationProgress {
  const d = detail as Partial<OptimizationProgress> | null | undefined;
  return (
    typeof d?.doneTrials === 'number' && typeof d.totalTrials === 'number' && typeof d.stage === 'string'
  );
}

export const progress = protectedProcedure.input(progressInput).subscription(async function* ({
  ctx,
  input,
  signal,
}): AsyncGenerator<OptimizationProgressUpdate> {
  const optimization = await requireOwned(ctx, 'optimizationSummary', input.id);
  let live: { fraction: number; detail: OptimizationProgress | null } = { fraction: 0, detail: null };
  yield* watchJob<OptimizationProgressUpdate>({
    queue: ctx.queue,
    jobId: optimization.id,
    signal,
    onEvent: (event) => {
      if (event.type === 'progress') {
        live = {
          fraction: event.fraction,
          detail: isProgressDetail(event.detail) ? event.detail : live.detail,
        };
      }
    },
    read: async () => {
      const row = await ctx.prisma.optimization.findUnique({
        where: { id: optimization.id },
        select: {
          status: true,
          progress: true,
          error: true,
          stage: true,
          doneTrials: true,
          totalTrials: true,
          cachedTrials: true,
          best: true,
        },
      });
      if (!row) return null;
      const fromRow: OptimizationProgress = {
        doneTrials: row.doneTrials,
        totalTrials: row.totalTrials,
        cachedTrials: row.cachedTrials,
        stage: row.stage,
        best: (row.best ?? null) as BestTrial | null,
      };
      // While running, the queue's event is fresher than the row (which the runner writes less often).
      const running = row.status === 'RUNNING';
      const fresher =
        running && live.detail && live.detail.doneTrials >= row.doneTrials ? live.detail : fromRow;
      return {
        status: row.status,
        progress: running ? Math.max(row.progress, live.fraction) : row.progress,
        error: row.error,
        doneTrials: fresher.doneTrials,
        totalTrials: fresher.totalTrials,
        cachedTrials: fresher.cachedTrials,
        stage: fresher.stage,
        best: fresher.best,
      };
    },
  });
});
