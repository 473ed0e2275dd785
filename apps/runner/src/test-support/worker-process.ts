// A runner process for the crash tests. It prints "ready", then "started <id> <attempt>" when a job starts
// and "finished <id> <attempt>" when its handler returns.
//   mode "sleep": a slow job that records each start and result in Redis lists (<prefix>:test:starts/results);
//   mode "backtest": the real backtest processor (worker-thread engine, as in production) and packages/db's
//   RunStore, the engine started after jobMs.
//   mode "optimize": the real optimize and trials processors with packages/db's store and one trial thread;
//   prints "trials <job id> <attempt>" when a batch's handler returns.
// Usage: node --import tsx worker-process.ts '<json options>'
import { createOptimizationStore, createRunStore, openDatabase } from '@candleflow/db';
import type { TrialMetrics } from '@candleflow/optimize';
import { Redis } from 'ioredis';
import { loadDatasetFile } from '../main';
import { createOptimizeProcessor } from '../optimize/optimize-job';
import { TrialPool } from '../optimize/trial-pool';
import { createTrialsProcessor } from '../optimize/trials-job';
import { createBacktestProcessor } from '../processors/backtest';
import { threadEngine } from '../processors/engine';
import { BullMqQueue } from '../queue/bullmq';
import type { JobHandler } from '../queue/queue';

interface Options {
  readonly mode: 'sleep' | 'backtest' | 'optimize';
  readonly redisUrl: string;
  readonly prefix: string;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** sleep: the job's length; backtest: the delay before the engine runs. */
  readonly jobMs: number;
  readonly databaseUrl?: string;
  readonly dataDir?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const redis = new Redis(options.redisUrl);
const queue = new BullMqQueue({
  redisUrl: options.redisUrl,
  prefix: options.prefix,
  maxActivePerUser: 10,
  lockDurationMs: options.lockDurationMs,
  stalledIntervalMs: options.stalledIntervalMs,
  dispatchIntervalMs: 200,
});

async function handlerFor(): Promise<JobHandler> {
  if (options.mode === 'backtest') {
    const database = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir! });
    return createBacktestProcessor({
      store: createRunStore(database.prisma),
      loadDataset: (dataset) => loadDatasetFile(options.dataDir!, dataset),
      engine: async (request, hooks) => {
        await sleep(options.jobMs);
        return threadEngine(request, hooks);
      },
    }) as JobHandler;
  }
  return async ({ job, attempt, signal, progress }) => {
    await redis.rpush(`${options.prefix}:test:starts`, `${job.id}:${attempt}:${process.pid}`);
    const steps = 10;
    for (let step = 1; step <= steps; step++) {
      if (signal.aborted) return;
      await sleep(options.jobMs / steps);
      progress(step / steps);
    }
    await redis.rpush(`${options.prefix}:test:results`, `${job.id}:${attempt}:${process.pid}`);
  };
}

if (options.mode === 'optimize') {
  const database = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir! });
  const store = createOptimizationStore<TrialMetrics>(database.prisma);
  const pool = new TrialPool(1, options.dataDir!);
  const loadDataset = (dataset: Parameters<typeof loadDatasetFile>[1]) =>
    loadDatasetFile(options.dataDir!, dataset);
  const optimizeHandler = createOptimizeProcessor({ store, queue, pool, loadDataset });
  queue.process(
    'optimize',
    async (context) => {
      process.stdout.write(`started ${context.job.id} ${context.attempt}\n`);
      await optimizeHandler(context as Parameters<typeof optimizeHandler>[0]);
      process.stdout.write(`finished ${context.job.id} ${context.attempt}\n`);
    },
    { concurrency: 1 },
  );
  const trialsHandler = createTrialsProcessor({ store, pool });
  queue.process(
    'trials',
    async (context) => {
      await trialsHandler(context as Parameters<typeof trialsHandler>[0]);
      process.stdout.write(`trials ${context.job.id} ${context.attempt}\n`);
    },
    { concurrency: 1 },
  );
  await queue.ready();
  process.stdout.write('ready\n');
} else {
  const handler = await handlerFor();
  queue.process(
    'backtest',
    async (context) => {
      process.stdout.write(`started ${context.job.id} ${context.attempt}\n`);
      await handler(context);
      process.stdout.write(`finished ${context.job.id} ${context.attempt}\n`);
    },
    { concurrency: 1 },
  );
  await queue.ready();
  process.stdout.write('ready\n');
}
