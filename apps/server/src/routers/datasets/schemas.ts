// What the dataset procedures accept and the view they return (the storage path stays on the server).
import { z } from 'zod';

export const datasetId = z.string().trim().min(1).max(64);
export const datasetName = z.string().trim().min(1, 'name the dataset').max(200);
export const symbol = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,20}(\/[A-Za-z0-9._-]{1,20})?$/, 'must be a symbol such as "BTC/USDT"');
export const timeframe = z
  .string()
  .trim()
  .regex(/^\d{1,4}[smhdwM]$/, 'must be a timeframe such as 1m, 15m, 1h, 4h, 1d, 1w or 1M');

export const DatasetView = z.object({
  id: z.string(),
  name: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  bars: z.number().int(),
  /** Open time of the first and last bar, UTC milliseconds. */
  firstTime: z.number(),
  lastTime: z.number(),
  dataHash: z.string(),
  source: z.enum(['UPLOAD', 'GENERATED', 'FETCHED']),
  importReport: z.unknown(),
  createdAt: z.date(),
});
export type DatasetView = z.infer<typeof DatasetView>;

export function datasetView(row: {
  id: string;
  name: string;
  symbol: string;
  timeframe: string;
  bars: number;
  firstTime: bigint;
  lastTime: bigint;
  dataHash: string;
  source: 'UPLOAD' | 'GENERATED' | 'FETCHED';
  importReport: unknown;
  createdAt: Date;
}): DatasetView {
  // BigInt does not survive JSON; bar times fit a double exactly (they are < 2^53 ms).
  return {
    id: row.id,
    name: row.name,
    symbol: row.symbol,
    timeframe: row.timeframe,
    bars: row.bars,
    firstTime: Number(row.firstTime),
    lastTime: Number(row.lastTime),
    dataHash: row.dataHash,
    source: row.source,
    importReport: row.importReport,
    createdAt: row.createdAt,
  };
}
