// Optimizations across runner processes on BullMQ (real Redis, real PostgreSQL): trials spread over
// every runner, and a runner killed mid-optimization (SIGKILL) is replaced by another that resumes
// without computing the stored trials again.
import { openTestDatabase } from '@candleflow/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BullMqQueue } from '../queue/bullmq';
import type { JobEvent } from '../queue/queue';
import { createOptimization } from '../test-support/optimization';
import { testRedisUrl, uniquePrefix, waitFor } from '../test-support/redis';
import { killRunnerProcesses, type RunnerProcess, startRunnerProcess } from '../test-support/runner-process';
import { type Seeded, seedBacktestInputs } from '../test-support/seed';

/** fast 4..23 × slow {30, 40}: 40 trials. */
const grid = {
  method: 'grid' as const,
  ranges: {
    fast: { min: 4, max: 23, step: 1 },
    slow: { values: [30, 40] },
    atrMult: { fixed: 2 },
    rsiPeriod: { fixed: 14 },
    rsiMax: { fixed: 70 },
  },
  monteCarlo: null,
};

describe('optimizations on BullMQ runner processes', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let seeded: Seeded;
  let databaseUrl: string;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    seeded = await seedBacktestInputs(db.prisma, db.dataDir, 'distributed@example.com');
    // The runner processes connect to the same throwaway database.
    databaseUrl = db.url!;
  });

  afterEach(() => killRunnerProcesses());
  afterAll(async () => {
    await db?.close();
  });

  async function setUp(name: string) {
    const redisUrl = testRedisUrl();
    const prefix = uniquePrefix(name);
    const options = {
      mode: 'optimize',
      redisUrl,
      prefix,
      databaseUrl,
      dataDir: db.dataDir,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      jobMs: 0,
    };
    const server = new BullMqQueue({ redisUrl, prefix, maxActivePerUser: 2 });
    await server.ready();
    return { options, server };
  }

  async function submit(server: BullMqQueue, spec: Parameters<typeof createOptimization>[2]) {
    const id = await createOptimization(db.prisma, seeded, spec);
    const events: JobEvent[] = [];
    server.subscribe(id, (event) => events.push(event));
    await server.add({ id, userId: seeded.userId, kind: 'optimize', payload: { optimizationId: id } });
    return { id, events };
  }

  const batchesBy = (runner: RunnerProcess) => runner.lines().filter((l) => l.startsWith('trials ')).length;

  it('spreads one optimization over two runners and completes it', async () => {
    const { options, server } = await setUp('opt-two');
    try {
      const first = startRunnerProcess(options);
      const second = startRunnerProcess(options);
      await Promise.all([first.lineMatching(/^ready$/, 30_000), second.lineMatching(/^ready$/, 30_000)]);
      const { id, events } = await submit(server, grid);
      await waitFor('the optimization to end', () => events.some((e) => e.type !== 'progress'), 60_000);

      const row = await db.prisma.optimization.findUniqueOrThrow({ where: { id } });
      expect([row.error, row.status, row.doneTrials]).toEqual([null, 'SUCCEEDED', 40]);
      expect(batchesBy(first)).toBeGreaterThan(0);
      expect(batchesBy(second)).toBeGreaterThan(0);
      const evaluated = await db.prisma.optimizationTrial.count({
        where: { optimizationId: id, evaluatedAt: { not: null } },
      });
      expect(evaluated).toBe(40);
    } finally {
      await server.close();
    }
  });

  it('resumes on another runner after its runner is killed, without computing stored trials again', async () => {
    const { options, server } = await setUp('opt-resume');
    try {
      const first = startRunnerProcess(options);
      await first.lineMatching(/^ready$/, 30_000);
      const { id, events } = await submit(server, {
        ...grid,
        ranges: { ...grid.ranges, slow: { values: [30, 40, 50, 60, 70] } },
        reuseResults: false,
      });
      await first.lineMatching(new RegExp(`^started ${id} 1$`));
      const stored = (await waitFor(
        'a first batch to be stored',
        async () => {
          const rows = await db.prisma.optimizationTrial.findMany({
            where: { optimizationId: id, evaluatedAt: { not: null } },
            select: { index: true, evaluatedAt: true },
          });
          return rows.length > 0 ? rows : null;
        },
        30_000,
      ))!;
      first.child.kill('SIGKILL');
      const second = startRunnerProcess(options);
      await second.lineMatching(/^ready$/, 30_000);
      await waitFor('the optimization to end', () => events.some((e) => e.type !== 'progress'), 90_000);

      const row = await db.prisma.optimization.findUniqueOrThrow({ where: { id } });
      expect([row.error, row.status, row.attempts, row.doneTrials]).toEqual([null, 'SUCCEEDED', 2, 100]);
      expect(second.lines()).toContain(`started ${id} 2`);
      const after = await db.prisma.optimizationTrial.findMany({
        where: { optimizationId: id, index: { in: stored.map((t) => t.index) } },
        select: { index: true, evaluatedAt: true },
        orderBy: { index: 'asc' },
      });
      // A trial evaluated again would carry a later evaluatedAt.
      expect(after).toEqual([...stored].sort((a, b) => a.index - b.index));
    } finally {
      await server.close();
    }
  });
});
