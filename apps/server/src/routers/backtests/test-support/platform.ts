// Test harness for the platform routers: a real server on a real database (PGlite or PostgreSQL) with
// a temporary DATA_DIR, the in-process queue and the real backtest and optimization processors, and
// signed-in users admin, A and B (traders) and V (viewer).
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  type BackendKind,
  createOptimizationStore,
  createRunStore,
  type Database,
  testServices,
} from '@candleflow/db';
import type { TrialMetrics } from '@candleflow/optimize';
import {
  BullMqQueue,
  createBacktestProcessor,
  inlineEngine,
  type JobQueue,
  loadDatasetFile,
  type Runner,
  startInProcessRunner,
} from '@candleflow/runner';
import { createTRPCClient, createWSClient, type TRPCClient, wsLink } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildServer } from '../../../app';
import { principalCache } from '../../../auth/principal-cache';
import { SESSION_COOKIE } from '../../../auth/sessions';
import { type Env, testEnv } from '../../../env';
import { createMetrics } from '../../../metrics';
import { type Caller, openServerTestDatabase, signUp } from '../../../test-support/server';
import type { AppRouter } from '../../index';

export interface Platform {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly env: Env;
  readonly dataDir: string;
  readonly queue: JobQueue;
  readonly users: Record<'admin' | 'a' | 'b' | 'v', { id: string; caller: Caller }>;
  /** Listens on 127.0.0.1 with a free port and returns the base URL (for fetch as a script would). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startPlatform(
  options: {
    backend?: BackendKind;
    env?: Record<string, string>;
    queue?: 'in-process' | 'bullmq' | 'none';
  } = {},
): Promise<Platform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'candleflow-platform-'));
  const { db, dispose } = await openServerTestDatabase(options.backend ?? 'pglite');
  let runner: Runner | undefined;
  let queue: JobQueue | undefined;
  if (options.queue === undefined || options.queue === 'in-process') {
    runner = startInProcessRunner({
      store: createRunStore(db.prisma),
      optimizationStore: createOptimizationStore<TrialMetrics>(db.prisma),
      dataDir,
      engine: inlineEngine,
    });
    queue = runner.queue;
  } else if (options.queue === 'bullmq') {
    // The real Redis of tools/test-setup.mjs, under a prefix no other test uses.
    const bull = new BullMqQueue({
      redisUrl: testServices().redisUrl,
      prefix: `t-platform-${randomUUID().slice(0, 8)}`,
      maxActivePerUser: 2,
    });
    bull.process(
      'backtest',
      createBacktestProcessor({
        store: createRunStore(db.prisma),
        loadDataset: (dataset) => loadDatasetFile(dataDir, dataset),
        engine: inlineEngine,
      }),
      { concurrency: 1 },
    );
    runner = { queue: bull, close: () => bull.close() };
    queue = bull;
  }
  const env = testEnv({ DATA_DIR: dataDir, ...(options.env ?? {}) });
  const app = await buildServer({ env, db, metrics: createMetrics(), ...(queue ? { queue } : {}) });
  const admin = await signUp(app, 'admin@example.com');
  const a = await signUp(app, 'a@example.com');
  const b = await signUp(app, 'b@example.com');
  const v = await signUp(app, 'v@example.com');
  await db.prisma.user.update({ where: { id: v.user.id }, data: { role: 'VIEWER' } });
  principalCache(db.prisma).invalidateUser(v.user.id);
  const user = (s: Awaited<ReturnType<typeof signUp>>) => ({ id: s.user.id, caller: s.caller });
  return {
    app,
    db,
    env,
    dataDir,
    queue: queue as JobQueue,
    users: { admin: user(admin), a: user(a), b: user(b), v: user(v) },
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
    async close() {
      // fetch keeps connections alive; close them so the server stops at once.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await runner?.close();
      await dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table a procedure could write, to prove a refused call wrote nothing. */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const p = db.prisma;
  const [strategies, versions, datasets, runs, audits, credentials] = await Promise.all([
    p.strategy.count(),
    p.strategyVersion.count(),
    p.dataset.count(),
    p.backtestRun.count(),
    p.auditEvent.count(),
    p.exchangeCredential.count(),
  ]);
  return { strategies, versions, datasets, runs, audits, credentials };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A tRPC client over the platform's WebSocket endpoint, signed in as `caller` (its session cookie and CSRF token). */
export async function wsClientFor(
  p: Platform,
  caller: Caller,
): Promise<{ readonly client: TRPCClient<AppRouter>; close(): void }> {
  const url = `ws://127.0.0.1:${new URL(await p.listen()).port}/trpc`;
  class WithCookie extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie: `${SESSION_COOKIE}=${caller.session}` } });
    }
  }
  const wsClient = createWSClient({
    url,
    WebSocket: WithCookie as never,
    connectionParams: { csrfToken: caller.csrf! },
  });
  return {
    client: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }),
    close: () => wsClient.close(),
  };
}
