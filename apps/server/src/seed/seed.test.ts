// The demo seed on fresh databases: account, demo dataset and every example strategy with version 1;
// a second run changes nothing; the printed password signs in; production and SEED_DEMO=false skip it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../auth/password';
import { testEnv } from '../env';
import { mutate } from '../test-support/server';
import { type Platform, rowCounts, startPlatform } from '../routers/backtests/test-support/platform';
import { EXAMPLES_DIR } from '../routers/strategies/templates';
import { DEMO_CSV, DEMO_EMAIL, DEMO_PASSWORD, maybeSeedDemo, seedDemo } from './seed';

const silent = { info: () => {}, warn: () => {} };
const exampleFiles = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
const csvRows = readFileSync(DEMO_CSV, 'utf8').trim().split('\n').length - 1;

describe.each(BACKENDS)('demo seed on %s', (backend) => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ backend, queue: 'none' });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('creates the demo account, the demo dataset and every example strategy at version 1', async () => {
    const result = await seedDemo(p.db, p.env, silent);

    expect(result.createdUser).toBe(true);
    const user = await p.db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL } });
    const strategies = await p.db.prisma.strategy.findMany({
      where: { ownerId: user.id },
      include: { versions: true },
    });
    expect(strategies).toHaveLength(exampleFiles.length);
    expect(strategies.every((s) => s.versions.length === 1 && s.versions[0]!.number === 1)).toBe(true);
    const dataset = await p.db.prisma.dataset.findUniqueOrThrow({ where: { id: result.datasetId } });
    expect([dataset.ownerId, dataset.bars, dataset.symbol, dataset.timeframe]).toEqual([
      user.id,
      csvRows,
      'BTC/USDT',
      '1h',
    ]);
    expect(readdirSync(join(p.dataDir, 'datasets', user.id))).toEqual([`${dataset.id}.cfc`]);
  });

  it('changes nothing when run again', async () => {
    const before = await rowCounts(p.db);
    const again = await seedDemo(p.db, p.env, silent);
    expect([again.createdUser, again.createdDataset, again.createdStrategies]).toEqual([false, false, []]);
    expect(await rowCounts(p.db)).toEqual(before);
  });

  it('lets the demo account sign in with the printed password', async () => {
    expect(passwordProblem(DEMO_PASSWORD, DEMO_EMAIL)).toBeUndefined();
    const res = await mutate<{ user: { email: string } }>(p.app, 'auth.login', {
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.data.user.email).toBe(DEMO_EMAIL);
  });
});

describe('maybeSeedDemo', () => {
  it('does nothing when SEED_DEMO is false or in production', async () => {
    const p = await startPlatform({ queue: 'none' });
    try {
      const off = await maybeSeedDemo(p.db, testEnv({ SEED_DEMO: 'false', DATA_DIR: p.dataDir }), silent);
      const prod = await maybeSeedDemo(
        p.db,
        { ...testEnv({ SEED_DEMO: 'true', DATA_DIR: p.dataDir }), NODE_ENV: 'production' },
        silent,
      );
      expect([off, prod]).toEqual([null, null]);
      expect(await p.db.prisma.user.count({ where: { email: DEMO_EMAIL } })).toBe(0);
      const on = await maybeSeedDemo(p.db, testEnv({ SEED_DEMO: 'true', DATA_DIR: p.dataDir }), silent);
      expect(on?.createdUser).toBe(true);
    } finally {
      await p.close();
    }
  });
});
