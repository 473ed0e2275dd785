// Demo content for a fresh development server: the demo account, the demo BTC/USDT 1h dataset and
// every example strategy (examples/*.json) with its version 1. Safe to run at every start: whatever
// already exists is left alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCandlesCsv } from '@candleflow/data';
import type { FastifyBaseLogger } from 'fastify';
import { hashPassword } from '../auth/password';
import type { Database } from '../db';
import type { Env } from '../env';
import { createStrategyWithVersion } from '../routers/strategies/create';
import { checkGraph } from '../routers/strategies/graph';
import { EXAMPLES_DIR, listTemplates, loadTemplate } from '../routers/strategies/templates';
import { storeDataset } from '../routers/datasets/storage';
import type { ProtectedContext } from '../trpc';

export const DEMO_EMAIL = 'demo@candleflow.local';
/** A fixed development password, printed at start and in the README; never used in production. */
export const DEMO_PASSWORD = 'candles-and-wicks-2024';
export const DEMO_DATASET_NAME = 'Demo BTC/USDT 1h';
export const DEMO_CSV = join(EXAMPLES_DIR, 'data', 'demo-btc-1h.csv');

export interface SeedResult {
  readonly userId: string;
  readonly createdUser: boolean;
  readonly datasetId: string;
  readonly createdDataset: boolean;
  /** Strategy ids by template name. */
  readonly strategies: Readonly<Record<string, string>>;
  readonly createdStrategies: readonly string[];
}

type SeedLog = Pick<FastifyBaseLogger, 'info' | 'warn'>;

/**
 * Creates what is missing of the demo content. The demo account is an administrator: on a seeded
 * development database it is the first account, and the audit log should be there to look at.
 */
export async function seedDemo(db: Database, env: Env, log: SeedLog): Promise<SeedResult> {
  const prisma = db.prisma;
  let user = await prisma.user.findUnique({ where: { email: DEMO_EMAIL } });
  const createdUser = user === null;
  if (!user) {
    user = await prisma.user.create({
      data: { email: DEMO_EMAIL, passwordHash: await hashPassword(DEMO_PASSWORD), role: 'ADMIN' },
    });
  }
  // The seed acts as the demo user through the same code paths as the API (files, rows, audit events).
  const ctx = {
    env,
    db,
    prisma,
    clock: () => new Date(),
    log,
    user: { id: user.id, email: user.email, role: 'admin', createdAt: user.createdAt },
    ip: 'seed',
    userAgent: 'candleflow seed',
  } as unknown as ProtectedContext;

  const dataset = await prisma.dataset.findFirst({
    where: { ownerId: user.id, name: DEMO_DATASET_NAME, deletedAt: null },
  });
  const createdDataset = dataset === null;
  let datasetId = dataset?.id;
  if (!datasetId) {
    const parsed = parseCandlesCsv(readFileSync(DEMO_CSV, 'utf8'), {
      file: 'demo-btc-1h.csv',
      symbol: 'BTC/USDT',
      timeframe: '1h',
    });
    datasetId = (
      await storeDataset(
        ctx,
        { name: DEMO_DATASET_NAME, source: 'UPLOAD', importReport: parsed.report },
        parsed.series,
        'dataset.import',
      )
    ).id;
  }

  const strategies: Record<string, string> = {};
  const createdStrategies: string[] = [];
  const existing = await prisma.strategy.findMany({ where: { ownerId: user.id, deletedAt: null } });
  for (const template of listTemplates()) {
    const checked = checkGraph(loadTemplate(template), env.MAX_GRAPH_NODES);
    const found = existing.find((s) => s.name === checked.graph.name);
    if (found) {
      strategies[template] = found.id;
      continue;
    }
    const created = await createStrategyWithVersion(
      ctx,
      { name: checked.graph.name, description: checked.graph.description ?? '' },
      checked,
    );
    strategies[template] = created.strategy.id;
    createdStrategies.push(template);
  }
  if (createdUser || createdDataset || createdStrategies.length > 0) {
    log.info(
      { createdUser, createdDataset, createdStrategies },
      `demo content seeded: sign in as ${DEMO_EMAIL} with password ${DEMO_PASSWORD}`,
    );
  }
  return { userId: user.id, createdUser, datasetId, createdDataset, strategies, createdStrategies };
}

/** Seeds only where SEED_DEMO allows it (default: development) and never in production. */
export async function maybeSeedDemo(db: Database, env: Env, log: SeedLog): Promise<SeedResult | null> {
  if (!env.SEED_DEMO) return null;
  if (env.NODE_ENV === 'production') {
    log.warn('SEED_DEMO is ignored in production: no demo account with a published password is created');
    return null;
  }
  const result = await seedDemo(db, env, log);
  // Printed, not only logged, so the person who ran `npm start` sees how to sign in.
  console.log(`Demo account: ${DEMO_EMAIL} / password: ${DEMO_PASSWORD}`);
  return result;
}
