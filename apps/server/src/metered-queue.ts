// Wraps the job queue the routers submit to so /metrics reports what happens to jobs: how long each took
// from submission to its end, how many backtests finished by outcome, and how many jobs wait or run.
import type { JobQueue, JobSpec } from '@candleflow/runner';
import type { Metrics } from './metrics';

export function meteredQueue(queue: JobQueue, metrics: Metrics, now: () => number = Date.now): JobQueue {
  return {
    async add(job: JobSpec) {
      const submitted = now();
      // Subscribe first: a quick job can finish before add() returns.
      const stop = queue.subscribe(job.id, (event) => {
        if (event.type === 'progress') return;
        const outcome = event.type === 'completed' ? 'succeeded' : event.type;
        metrics.jobDuration.observe({ kind: job.kind, outcome }, (now() - submitted) / 1000);
        if (job.kind === 'backtest') metrics.backtestsRun.inc({ outcome });
        stop();
      });
      try {
        await queue.add(job);
      } catch (error) {
        stop();
        throw error;
      }
    },
    cancel: (id) => queue.cancel(id),
    subscribe: (id, listener) => queue.subscribe(id, listener),
    process: (kind, handler, options) => queue.process(kind, handler, options),
    depth: () => queue.depth(),
    close: () => queue.close(),
  };
}

/** Reads the queue's depth into the gauge; called on every scrape of /metrics. */
export async function recordQueueDepth(queue: JobQueue, metrics: Metrics): Promise<void> {
  const depth = await queue.depth();
  metrics.queueDepth.set({ kind: 'all', state: 'waiting' }, depth.waiting);
  metrics.queueDepth.set({ kind: 'all', state: 'active' }, depth.active);
}
