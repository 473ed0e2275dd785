// Creates Optimization rows the way the server's submit does, for the optimization jobs' tests.
import type { PrismaClient } from '@candleflow/db';
import { ENGINE_VERSION } from '@candleflow/engine';
import { type OptimizeSpecInput, OptimizeSpecSchema } from '@candleflow/optimize';
import { settingsHash } from '../processors/cache-key';
import type { Seeded } from './seed';

export const optimizationSettings = { backtest: { account: { initialCash: 5000 } } };

/** fast × slow × atrMult from explicit lists (one of the six fast/slow pairs breaks fast < slow): 10 trials. */
export const smallGrid: OptimizeSpecInput = {
  method: 'grid',
  ranges: {
    fast: { values: [5, 15, 25] },
    slow: { values: [20, 30] },
    atrMult: { values: [1.5, 3] },
    rsiPeriod: { fixed: 14 },
    rsiMax: { fixed: 70 },
  },
  monteCarlo: { runs: 200, ruinDrawdownPct: 50 },
};

export async function createOptimization(
  prisma: PrismaClient,
  seeded: Seeded,
  spec: OptimizeSpecInput,
): Promise<string> {
  const row = await prisma.optimization.create({
    data: {
      ownerId: seeded.userId,
      strategyVersionId: seeded.versionId,
      datasetId: seeded.datasetId,
      spec: OptimizeSpecSchema.parse(spec) as object,
      settings: optimizationSettings,
      settingsHash: settingsHash(optimizationSettings),
      engineVersion: ENGINE_VERSION,
    },
  });
  return row.id;
}
