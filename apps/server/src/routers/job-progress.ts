// The loop behind every job-progress subscription (backtests, optimizations): re-read the job's row when
// the queue reports on the job (in-process and BullMQ alike) or at the latest every PROGRESS_POLL_MS (runners
// in other processes, events missed while connecting), yield each change, stop at a terminal status.
import type { JobEvent } from '@candleflow/runner';
import type { Context } from '../context';
import { TERMINAL } from './backtests/views';

export const PROGRESS_POLL_MS = 1000;

type Status = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export interface WatchJob<U extends { readonly status: Status }> {
  readonly queue: Context['queue'];
  readonly jobId: string;
  readonly signal: AbortSignal | undefined;
  /** Hears the queue's events (progress carries the freshest numbers). */
  readonly onEvent?: (event: JobEvent) => void;
  /** The update to send now; null when the job's row is gone. */
  readonly read: () => Promise<U | null>;
}

export async function* watchJob<U extends { readonly status: Status }>(
  watch: WatchJob<U>,
): AsyncGenerator<U> {
  const { signal } = watch;
  let wake: (() => void) | undefined;
  const queue = watch.queue as
    | { subscribe(id: string, listener: (event: JobEvent) => void): () => void }
    | undefined;
  const unsubscribe = queue?.subscribe(watch.jobId, (event) => {
    watch.onEvent?.(event);
    wake?.();
  });
  try {
    let last = '';
    while (!signal?.aborted) {
      const update = await watch.read();
      if (update === null) return;
      const key = JSON.stringify(update);
      if (key !== last) {
        last = key;
        yield update;
      }
      if (TERMINAL.has(update.status)) return;
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
}
