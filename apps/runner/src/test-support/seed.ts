// Seeds a database with what a backtest run needs (user, strategy versions, dataset file and row) and
// creates runs the way the server does, for the runner's storage tests.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashCandles, parseCandlesCsv, writeCandleCache } from '@candleflow/data';
import type { PrismaClient } from '@candleflow/db';
import type { GraphInput } from '@candleflow/strategy-dsl';
import { backtestCacheKey, settingsHash } from '../processors/cache-key';

const root = new URL('../../../../', import.meta.url);
export const exampleGraph = JSON.parse(
  readFileSync(new URL('examples/ema-cross.json', root), 'utf8'),
) as GraphInput;
export const demoSeries = parseCandlesCsv(
  readFileSync(new URL('examples/data/demo-btc-1h.csv', root), 'utf8'),
  {
    symbol: 'BTC/USDT',
    timeframe: '1h',
  },
).series;

export interface Seeded {
  readonly userId: string;
  readonly versionId: string;
  readonly brokenVersionId: string;
  readonly datasetId: string;
}

export async function seedBacktestInputs(
  prisma: PrismaClient,
  dataDir: string,
  email: string,
): Promise<Seeded> {
  mkdirSync(join(dataDir, 'datasets'), { recursive: true });
  writeCandleCache(join(dataDir, 'datasets', 'demo.cfc'), demoSeries);
  const user = await prisma.user.create({ data: { email, passwordHash: 'x' } });
  const strategy = await prisma.strategy.create({ data: { ownerId: user.id, name: 'EMA cross' } });
  const version = (number: number, graph: GraphInput) =>
    prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number,
        graph: graph as object,
        dslText: '',
        contentHash: `hash-v${number}`,
        params: [],
        createdById: user.id,
      },
    });
  const good = await version(1, exampleGraph);
  const broken = await version(2, { ...exampleGraph, edges: [] });
  const dataset = await prisma.dataset.create({
    data: {
      ownerId: user.id,
      name: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      bars: demoSeries.time.length,
      firstTime: BigInt(demoSeries.time[0]!),
      lastTime: BigInt(demoSeries.time.at(-1)!),
      dataHash: hashCandles(demoSeries),
      storagePath: 'demo.cfc',
      source: 'UPLOAD',
    },
  });
  return { userId: user.id, versionId: good.id, brokenVersionId: broken.id, datasetId: dataset.id };
}

/** A QUEUED run of the given version (hash-v1 or hash-v2) on the demo dataset. */
export async function createRun(
  prisma: PrismaClient,
  seeded: Seeded,
  versionId: string,
  settings: object = { paramValues: { fast: 8 } },
): Promise<string> {
  const versionHash = versionId === seeded.versionId ? 'hash-v1' : 'hash-v2';
  const run = await prisma.backtestRun.create({
    data: {
      ownerId: seeded.userId,
      strategyVersionId: versionId,
      datasetId: seeded.datasetId,
      settings,
      settingsHash: settingsHash(settings),
      engineVersion: '0',
      cacheKey: backtestCacheKey({
        versionHash,
        dataHash: hashCandles(demoSeries),
        settingsHash: settingsHash(settings),
      }),
    },
  });
  return run.id;
}
