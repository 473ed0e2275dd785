// A runner killed mid-backtest (SIGKILL) loses nothing: another runner process picks the job up and the
// run is stored exactly once, with the retry in its attempt count. Real Redis, real PostgreSQL.
import { createRunStore, openTestDatabase } from '@candleflow/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BullMqQueue } from './queue/bullmq';
import type { JobEvent } from './queue/queue';
import { testRedisUrl, uniquePrefix, waitFor } from './test-support/redis';
import { killRunnerProcesses, startRunnerProcess } from './test-support/runner-process';
import { createRun, type Seeded, seedBacktestInputs } from './test-support/seed';

describe('a backtest runner killed mid-job', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let seeded: Seeded;
  let databaseUrl: string;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    seeded = await seedBacktestInputs(db.prisma, db.dataDir, 'crash@example.com');
    // The runner processes connect to the same throwaway database.
    databaseUrl = db.url!;
  });

  afterEach(() => killRunnerProcesses());
  afterAll(async () => {
    await db?.close();
  });

  it('is completed by another runner, stored once, with attempt 2', async () => {
    const redisUrl = testRedisUrl();
    const prefix = uniquePrefix('crash-db');
    const runnerOptions = {
      mode: 'backtest',
      redisUrl,
      prefix,
      databaseUrl,
      dataDir: db.dataDir,
      // Short enough for a quick test, long enough for a loaded 2-core machine to renew locks in time.
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      jobMs: 2_000,
    };
    const runId = await createRun(db.prisma, seeded, seeded.versionId);
    const first = startRunnerProcess(runnerOptions);
    await first.lineMatching(/^ready$/, 30_000);
    const server = new BullMqQueue({ redisUrl, prefix, maxActivePerUser: 2 });
    await server.ready();
    const events: JobEvent[] = [];
    server.subscribe(runId, (event) => events.push(event));

    try {
      await server.add({ id: runId, userId: seeded.userId, kind: 'backtest', payload: { runId } });
      await first.lineMatching(new RegExp(`^started ${runId} 1$`));
      const second = startRunnerProcess(runnerOptions);
      await second.lineMatching(/^ready$/, 30_000);
      first.child.kill('SIGKILL');
      await second.lineMatching(new RegExp(`^finished ${runId} 2$`), 30_000).catch((error: unknown) => {
        throw new Error(`${error}; first runner printed ${first.lines()}; second printed ${second.lines()}`);
      });
      await waitFor('the completed event', () => events.some((e) => e.type === 'completed'));

      const run = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: runId } });
      expect([run.status, run.attempts, run.progress]).toEqual(['SUCCEEDED', 2, 1]);
      expect(run.metrics).not.toBeNull();
      expect(first.lines().some((l) => l.startsWith('finished'))).toBe(false);
      expect(events.filter((e) => e.type !== 'progress')).toEqual([{ type: 'completed' }]);
      // A late write from the dead runner's attempt would be refused by the fence.
      const late = { metrics: {}, equity: [], trades: [], warnings: [], provenance: {}, bars: 0, cpuMs: 1 };
      expect(await createRunStore(db.prisma).saveResult(runId, 1, late)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
