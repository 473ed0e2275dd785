// Prometheus instruments for the whole process: HTTP latency and errors here, and the job hooks the
// runner and routers report into (job durations, queue depth, backtests run).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'candleflow_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'candleflow_http_request_duration_seconds',
      help: 'HTTP request latency by method, route (tRPC: procedure path) and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: 'candleflow_http_errors_total',
      help: 'Error responses by route and stable error code.',
      labelNames: ['route', 'code'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'candleflow_job_duration_seconds',
      help: 'Job run time by kind (backtest, optimize, ...) and outcome (succeeded, failed, canceled).',
      labelNames: ['kind', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'candleflow_queue_depth',
      help: 'Jobs waiting or running, by kind and state.',
      labelNames: ['kind', 'state'] as const,
      registers: [registry],
    }),
    backtestsRun: new Counter({
      name: 'candleflow_backtests_total',
      help: 'Backtests finished, by outcome; cached means served from the result cache.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The process-wide instruments; one server and its in-process runner report into the same registry. */
export const metrics: Metrics = createMetrics();
