// Stores a dataset: the candles as a columnar cache file under DATA_DIR/datasets/<owner>/<id>.cfc
// (the runner reads it there) and the row that describes it. The file is written first; if the row
// cannot be written the file is removed, so neither exists without the other.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CandleSeries, hashCandles, writeCandleCache } from '@candleflow/data';
import type { Prisma } from '../../db';
import { audit, type ProtectedContext } from '../../trpc';
import { datasetView } from './schemas';

export function datasetsRoot(dataDir: string): string {
  return resolve(dataDir, 'datasets');
}

export async function storeDataset(
  ctx: ProtectedContext,
  fields: { name: string; source: 'UPLOAD' | 'GENERATED'; importReport: unknown },
  series: CandleSeries,
  action: string,
) {
  const id = randomUUID();
  const storagePath = `${ctx.user.id}/${id}.cfc`;
  const root = datasetsRoot(ctx.env.DATA_DIR);
  mkdirSync(join(root, ctx.user.id), { recursive: true });
  const file = join(root, storagePath);
  const dataHash = hashCandles(series);
  writeCandleCache(file, series, { datasetId: id });
  try {
    const row = await ctx.prisma.$transaction(async (tx) => {
      const created = await tx.dataset.create({
        data: {
          id,
          ownerId: ctx.user.id,
          name: fields.name,
          symbol: series.symbol,
          timeframe: series.timeframe,
          bars: series.time.length,
          firstTime: BigInt(series.time[0] ?? 0),
          lastTime: BigInt(series.time[series.time.length - 1] ?? 0),
          dataHash,
          storagePath,
          source: fields.source,
          importReport: fields.importReport as Prisma.InputJsonValue,
        },
      });
      await audit(
        ctx,
        action,
        { type: 'dataset', id },
        { name: created.name, symbol: created.symbol, timeframe: created.timeframe, bars: created.bars },
        { client: tx },
      );
      return created;
    });
    return datasetView(row);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
}
