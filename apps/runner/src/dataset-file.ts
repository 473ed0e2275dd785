// Reads a dataset's candles from DATA_DIR/datasets: for backtest jobs and for the optimizer's trial threads,
// which load each dataset once and keep it.
import { resolve, sep } from 'node:path';
import { type CandleSeries, readCandleCache } from '@candleflow/data';
import type { RunToProcess } from './run-store';

/** Reads a dataset's columnar cache file; the row's symbol and timeframe are the authoritative ones. */
export async function loadDatasetFile(
  dataDir: string,
  dataset: RunToProcess['dataset'],
): Promise<CandleSeries> {
  const root = resolve(dataDir, 'datasets');
  const path = resolve(root, dataset.storagePath);
  if (!path.startsWith(root + sep)) {
    throw new Error(`dataset ${dataset.id}: storage path ${dataset.storagePath} points outside ${root}`);
  }
  const series = readCandleCache(path);
  return { ...series, symbol: dataset.symbol, timeframe: dataset.timeframe };
}
