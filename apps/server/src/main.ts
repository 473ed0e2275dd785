// Starts the platform. Embedded default (no REDIS_URL): the server, an in-process runner and the demo seed
// in one process on the embedded database. Production (REDIS_URL): the server submits to BullMQ and any
// number of `apps/runner` processes do the work.
import { createOptimizationStore, createRunStore, openDatabase } from '@candleflow/db';
import type { TrialMetrics } from '@candleflow/optimize';
import { BullMqQueue, type JobQueue, type Runner, startInProcessRunner } from '@candleflow/runner';
import { buildServer, type ReadinessCheck } from './app';
import { type Env, EnvError, loadEnv } from './env';
import { maybeSeedDemo } from './seed/seed';
import { registerStudio, STUDIO_DIST_DIR } from './static';

interface Jobs {
  readonly queue: JobQueue;
  readonly readiness: readonly ReadinessCheck[];
  close(): Promise<void>;
}

function startJobs(env: Env, db: Awaited<ReturnType<typeof openDatabase>>): Jobs {
  const quotas = {
    concurrentJobs: env.QUOTA_CONCURRENT_JOBS,
    barsPerJob: env.QUOTA_BARS_PER_JOB,
    cpuMsPerJob: env.QUOTA_CPU_MS_PER_JOB,
  };
  if (env.REDIS_URL !== undefined) {
    const queue = new BullMqQueue({ redisUrl: env.REDIS_URL, maxActivePerUser: quotas.concurrentJobs });
    return {
      queue,
      readiness: [{ name: 'redis', check: () => queue.ready() }],
      close: () => queue.close(),
    };
  }
  const runner: Runner = startInProcessRunner({
    store: createRunStore(db.prisma),
    optimizationStore: createOptimizationStore<TrialMetrics>(db.prisma),
    dataDir: env.DATA_DIR,
    concurrency: env.RUNNER_CONCURRENCY,
    ...(env.TRIALS_THREADS !== undefined ? { trialThreads: env.TRIALS_THREADS } : {}),
    quotas,
  });
  return { queue: runner.queue, readiness: [], close: () => runner.close() };
}

/** An in-process queue forgets its jobs when the process stops: queue the unfinished runs again. */
async function resubmitUnfinished(
  db: Awaited<ReturnType<typeof openDatabase>>,
  queue: JobQueue,
): Promise<number> {
  const runs = await db.prisma.backtestRun.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] } },
    select: { id: true, ownerId: true },
  });
  for (const run of runs) {
    await queue.add({ id: run.id, userId: run.ownerId, kind: 'backtest', payload: { runId: run.id } });
  }
  // An optimization resumes where it stopped: evaluated trials are not computed again.
  const optimizations = await db.prisma.optimization.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] } },
    select: { id: true, ownerId: true },
  });
  for (const o of optimizations) {
    await queue.add({ id: o.id, userId: o.ownerId, kind: 'optimize', payload: { optimizationId: o.id } });
  }
  return runs.length + optimizations.length;
}

async function main(): Promise<void> {
  const env = loadEnv();
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  const jobs = startJobs(env, db);
  const app = await buildServer({ env, db, queue: jobs.queue, readiness: jobs.readiness });
  await registerStudio(app, { distDir: STUDIO_DIST_DIR });
  if (env.REDIS_URL === undefined) {
    const resubmitted = await resubmitUnfinished(db, jobs.queue);
    if (resubmitted > 0) app.log.info({ resubmitted }, 'queued unfinished backtests and optimizations again');
  }
  await maybeSeedDemo(db, env, app.log);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await jobs.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: env.HOST, port: env.PORT });
}

main().catch((error: unknown) => {
  // Configuration mistakes get their own readable message, not a stack trace.
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
