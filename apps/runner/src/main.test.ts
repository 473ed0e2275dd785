// The runner end to end on the real storage: jobs through the in-process queue, the backtest processor
// and packages/db's RunStore, on both the embedded database (PGlite) and PostgreSQL.
import { BACKENDS, createRunStore, openTestDatabase } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetFile, type Runner, startInProcessRunner } from './main';
import { inlineEngine } from './processors/engine';
import type { JobEvent } from './queue/queue';
import { waitFor } from './test-support/redis';
import { createRun, type Seeded, seedBacktestInputs } from './test-support/seed';

describe.each(BACKENDS)('runner on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let runner: Runner;
  let ids: Seeded;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    ids = await seedBacktestInputs(db.prisma, db.dataDir, `${kind}@example.com`);
    runner = startInProcessRunner({
      store: createRunStore(db.prisma),
      dataDir: db.dataDir,
      engine: inlineEngine,
    });
  });

  afterAll(async () => {
    await runner?.close();
    await db?.close();
  });

  async function submit(versionId: string): Promise<{ runId: string; events: JobEvent[] }> {
    const run = { id: await createRun(db.prisma, ids, versionId) };
    const events: JobEvent[] = [];
    runner.queue.subscribe(run.id, (event) => events.push(event));
    await runner.queue.add({ id: run.id, userId: ids.userId, kind: 'backtest', payload: { runId: run.id } });
    await waitFor(`run ${run.id} to end`, () => events.some((e) => e.type !== 'progress'), 30_000);
    return { runId: run.id, events };
  }

  it('stores a backtest result once, then serves the same backtest from it without computing', async () => {
    const first = await submit(ids.versionId);
    const second = await submit(ids.versionId);

    const [a, b] = await Promise.all(
      [first.runId, second.runId].map((id) => db.prisma.backtestRun.findUniqueOrThrow({ where: { id } })),
    );
    expect([a!.status, a!.attempts, a!.progress, a!.resultOfRunId]).toEqual(['SUCCEEDED', 1, 1, null]);
    expect((a!.metrics as { tradeCount: number }).tradeCount).toBe((a!.trades as unknown[]).length);
    expect((a!.trades as unknown[]).length).toBeGreaterThan(0);
    expect(a!.cpuMs).toBeGreaterThan(0);
    expect([b!.status, b!.resultOfRunId, b!.cpuMs]).toEqual(['SUCCEEDED', a!.id, 0]);
    expect(b!.metrics).toEqual(a!.metrics);
    expect(first.events.at(-1)).toEqual({ type: 'completed' });
  });

  it('stores the compile error of a broken strategy version', async () => {
    const { runId, events } = await submit(ids.brokenVersionId);

    const run = await db.prisma.backtestRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^the strategy does not compile: error /);
    expect(events.at(-1)).toEqual({ type: 'failed', error: run.error });
  });
});

describe('loadDatasetFile', () => {
  it('refuses a storage path that leaves the datasets folder', async () => {
    const dataset = {
      id: 'd1',
      dataHash: '',
      symbol: 'X',
      timeframe: '1h',
      bars: 1,
      storagePath: '../secret',
    };

    await expect(loadDatasetFile('/tmp/cf', dataset)).rejects.toThrow(/points outside \/tmp\/cf\/datasets/);
  });
});
