// Starts runners: `node --import tsx apps/runner/src/main.ts` serves backtest and optimization jobs from
// REDIS_URL with results in DATABASE_URL (run as many as you like, on any machines); startInProcessRunner
// is the embedded mode the server starts inside its own process.
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createOptimizationStore, createRunStore, openDatabase } from '@candleflow/db';
import type { TrialMetrics } from '@candleflow/optimize';
import { pino } from 'pino';
import { loadDatasetFile } from './dataset-file';
import { readRunnerEnv } from './env';
import { createOptimizeProcessor } from './optimize/optimize-job';
import type { OptimizationStore } from './optimize/store';
import { TrialPool } from './optimize/trial-pool';
import { createTrialsProcessor } from './optimize/trials-job';
import { createBacktestProcessor } from './processors/backtest';
import type { BacktestEngine } from './processors/engine';
import { DEFAULT_QUOTAS, type Quotas } from './quota';
import { BullMqQueue } from './queue/bullmq';
import { InProcessQueue } from './queue/in-process';
import { errorMessage, type JobQueue, type ProcessOptions } from './queue/queue';
import type { RunStore } from './run-store';

export { loadDatasetFile } from './dataset-file';

export interface RunnerOptions {
  readonly store: RunStore;
  /** Datasets live in DATA_DIR/datasets/<storagePath>. */
  readonly dataDir: string;
  readonly concurrency?: number;
  readonly quotas?: Quotas;
  readonly engine?: BacktestEngine;
  /** When given, the runner also serves optimizations (`optimize` parents and their `trials` batches). */
  readonly optimizationStore?: OptimizationStore;
  /** Trial threads of this process (embedded default: one per core; a runner process: TRIALS_THREADS). */
  readonly trialThreads?: number;
}

export interface Runner {
  readonly queue: JobQueue;
  close(): Promise<void>;
}

/** The embedded default: an in-process queue with a backtest worker; submit with runner.queue.add(). */
export function startInProcessRunner(options: RunnerOptions): Runner {
  const quotas = options.quotas ?? DEFAULT_QUOTAS;
  const queue = new InProcessQueue({ maxActivePerUser: quotas.concurrentJobs });
  serveBacktests(queue, options);
  const pool = serveOptimizations(queue, {
    ...options,
    trialThreads: options.trialThreads ?? availableParallelism(),
  });
  return { queue, close: () => queue.close().then(() => pool?.close()) };
}

/** A runner process's queue on Redis; the server creates one without serving to submit jobs. */
export function startBullMqRunner(options: RunnerOptions & { readonly redisUrl: string }): Runner {
  const quotas = options.quotas ?? DEFAULT_QUOTAS;
  const queue = new BullMqQueue({ redisUrl: options.redisUrl, maxActivePerUser: quotas.concurrentJobs });
  serveBacktests(queue, options);
  const pool = serveOptimizations(queue, options);
  return { queue, close: () => queue.close().then(() => pool?.close()) };
}

/**
 * Optimization parents (one at a time: a parent mostly waits for its children) and trial batches (one per
 * trial thread). Returns the trial pool to close after the queue, or undefined without a store.
 */
function serveOptimizations(queue: JobQueue, options: RunnerOptions): TrialPool | undefined {
  const store = options.optimizationStore;
  if (!store) return undefined;
  const threads = options.trialThreads ?? 1;
  const pool = new TrialPool(threads, options.dataDir);
  const quotas = options.quotas ?? DEFAULT_QUOTAS;
  queue.process(
    'optimize',
    createOptimizeProcessor({
      store,
      queue,
      pool,
      loadDataset: (dataset) => loadDatasetFile(options.dataDir, dataset),
      quotas,
    }),
    {
      concurrency: 1,
      onAbandoned: async (job, reason) => {
        const id = (job.payload as { optimizationId: string }).optimizationId;
        const optimization = await store.loadOptimization(id);
        if (optimization) {
          await store.saveFailure(
            id,
            optimization.attempts,
            `the job lost its runner too many times: ${reason}`,
          );
        }
      },
    },
  );
  queue.process('trials', createTrialsProcessor({ store, pool, quotas }), { concurrency: threads });
  return pool;
}

function serveBacktests(queue: JobQueue, options: RunnerOptions): void {
  const { store } = options;
  const processOptions: ProcessOptions = {
    concurrency: options.concurrency ?? 1,
    onAbandoned: async (job, reason) => {
      const runId = (job.payload as { runId: string }).runId;
      const run = await store.loadRun(runId);
      if (run)
        await store.saveFailure(runId, run.attempts, `the job lost its runner too many times: ${reason}`);
    },
  };
  queue.process(
    'backtest',
    createBacktestProcessor({
      store,
      loadDataset: (dataset) => loadDatasetFile(options.dataDir, dataset),
      ...(options.engine ? { engine: options.engine } : {}),
      quotas: options.quotas ?? DEFAULT_QUOTAS,
    }),
    processOptions,
  );
}

/** `node --import tsx apps/runner/src/main.ts`: one runner process until SIGTERM or SIGINT. */
export async function main(): Promise<void> {
  const env = readRunnerEnv();
  const log = pino({ level: env.LOG_LEVEL, base: { service: 'runner' } });
  if (!env.REDIS_URL) {
    throw new Error(
      'REDIS_URL is not set: a separate runner process needs Redis to share jobs with the server (without Redis, the server runs backtests in its own process)',
    );
  }
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  const runner = startBullMqRunner({
    redisUrl: env.REDIS_URL,
    store: createRunStore(database.prisma),
    optimizationStore: createOptimizationStore<TrialMetrics>(database.prisma),
    dataDir: env.DATA_DIR,
    concurrency: env.RUNNER_CONCURRENCY,
    trialThreads: env.TRIALS_THREADS,
    quotas: {
      concurrentJobs: env.QUOTA_CONCURRENT_JOBS,
      barsPerJob: env.QUOTA_BARS_PER_JOB,
      cpuMsPerJob: env.QUOTA_CPU_MS_PER_JOB,
    },
  });
  log.info(
    { concurrency: env.RUNNER_CONCURRENCY, trialThreads: env.TRIALS_THREADS, database: database.kind },
    'runner started',
  );
  const stop = (signal: string) => {
    log.info({ signal }, 'runner stopping: running jobs go back to the queue');
    void runner
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ error: errorMessage(error) }, 'runner did not stop cleanly');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`runner: ${errorMessage(error)}`);
    process.exit(1);
  });
}
