// Job metrics through the real in-process queue: outcomes, durations and depth reach the registry.
import { InProcessQueue } from '@candleflow/runner';
import { afterEach, describe, expect, it } from 'vitest';
import { meteredQueue, recordQueueDepth } from './metered-queue';
import { createMetrics } from './metrics';

const queues: InProcessQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

function until(condition: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = async () => {
      if (await condition()) resolve();
      else if (Date.now() - started > 10_000) reject(new Error('condition not met within 10 s'));
      else setTimeout(poll, 10);
    };
    void poll();
  });
}

describe('meteredQueue', () => {
  it('counts finished backtests by outcome and observes their duration', async () => {
    const metrics = createMetrics();
    const inner = new InProcessQueue({ maxActivePerUser: 2, attempts: 1 });
    queues.push(inner);
    inner.process(
      'backtest',
      async ({ job }) => {
        if ((job.payload as { fail?: boolean }).fail) throw new Error('boom');
      },
      { concurrency: 1 },
    );
    const queue = meteredQueue(inner, metrics);

    await queue.add({ id: 'ok', userId: 'u', kind: 'backtest', payload: {} });
    await queue.add({ id: 'bad', userId: 'u', kind: 'backtest', payload: { fail: true } });
    const text = () => metrics.registry.metrics();
    await until(async () => (await text()).includes('candleflow_backtests_total{outcome="failed"} 1'));

    const exposition = await text();
    expect(exposition).toContain('candleflow_backtests_total{outcome="succeeded"} 1');
    expect(exposition).toMatch(
      /candleflow_job_duration_seconds_count\{kind="backtest",outcome="succeeded"\} 1/,
    );
  });

  it('reports waiting and running jobs on scrape', async () => {
    const metrics = createMetrics();
    const inner = new InProcessQueue({ maxActivePerUser: 1 });
    queues.push(inner);
    await inner.add({ id: 'a', userId: 'u', kind: 'backtest', payload: {} });
    await inner.add({ id: 'b', userId: 'u', kind: 'backtest', payload: {} });

    await recordQueueDepth(inner, metrics);

    expect(await metrics.registry.metrics()).toContain(
      'candleflow_queue_depth{kind="all",state="waiting"} 2',
    );
  });
});
