// optimizations.progress: a subscription streaming status, progress, trial counts, stage and the best
// trial so far until the optimization ends. The queue's progress events (their detail is the runner's
// OptimizationProgress) wake it at once; a slow poll of the row covers runners in other processes and
// events missed while connecting.
import type { BestTrial, OptimizationProgress } from '@candleflow/optimize';
import type { JobEvent } from '@candleflow/runner';
import { z } from 'zod';
import { protectedProcedure, requireOwned } from '../../trpc';
import { TERMINAL } from '../backtests/views';
import { optimizationId } from './views';

export const progressInput = z.strictObject({ id: optimizationId });

export const PROGRESS_POLL_MS = 1000;

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
  const queue = ctx.queue as
    | { subscribe(id: string, listener: (event: JobEvent) => void): () => void }
    | undefined;
  let wake: (() => void) | undefined;
  let live: { fraction: number; detail: OptimizationProgress | null } = { fraction: 0, detail: null };
  const unsubscribe = queue?.subscribe(optimization.id, (event) => {
    if (event.type === 'progress') {
      live = {
        fraction: event.fraction,
        detail: isProgressDetail(event.detail) ? event.detail : live.detail,
      };
    }
    wake?.();
  });
  try {
    let last = '';
    while (!signal?.aborted) {
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
      if (!row) return;
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
      const update: OptimizationProgressUpdate = {
        status: row.status,
        progress: running ? Math.max(row.progress, live.fraction) : row.progress,
        error: row.error,
        doneTrials: fresher.doneTrials,
        totalTrials: fresher.totalTrials,
        cachedTrials: fresher.cachedTrials,
        stage: fresher.stage,
        best: fresher.best,
      };
      const key = JSON.stringify(update);
      if (key !== last) {
        last = key;
        yield update;
      }
      if (TERMINAL.has(row.status)) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, PROGRESS_POLL_MS);
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        }
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    unsubscribe?.();
  }
});
