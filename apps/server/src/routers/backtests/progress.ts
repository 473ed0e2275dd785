// backtests.progress: a subscription streaming { status, progress } until the run ends. The queue's
// events wake it at once (in-process and BullMQ alike); a slow poll of the row covers runners in other
// processes and events missed while connecting.
import type { JobEvent } from '@candleflow/runner';
import { z } from 'zod';
import { protectedProcedure, requireOwned } from '../../trpc';
import { runId, TERMINAL } from './views';

export const progressInput = z.strictObject({ id: runId });

export const PROGRESS_POLL_MS = 1000;

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
  const queue = ctx.queue as
    | { subscribe(id: string, listener: (event: JobEvent) => void): () => void }
    | undefined;
  let wake: (() => void) | undefined;
  let liveFraction = 0;
  const unsubscribe = queue?.subscribe(run.id, (event) => {
    if (event.type === 'progress') liveFraction = event.fraction;
    wake?.();
  });
  try {
    let last = '';
    while (!signal?.aborted) {
      const row = await ctx.prisma.backtestRun.findUnique({
        where: { id: run.id },
        select: { status: true, progress: true, error: true },
      });
      if (!row) return;
      const fraction = row.status === 'RUNNING' ? Math.max(row.progress, liveFraction) : row.progress;
      const update: ProgressUpdate = { status: row.status, progress: fraction, error: row.error };
      const key = `${update.status}:${update.progress}`;
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
