// Resolves `--data`: a CSV file (imported once, then read from the columnar cache), a `.candles` cache
// file, or the name of a dataset stored by `candleflow data import`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CandleSeries, type ImportReport, loadCandles } from '@candleflow/data';
import { dataDirectory } from './env';
import { UsageError } from './strategy-file';

export interface LoadedData {
  readonly series: CandleSeries;
  readonly report: ImportReport | null;
  readonly notes: readonly string[];
}

export const DATASET_EXTENSION = '.candles';

export function datasetFile(name: string): string {
  return join(dataDirectory(), `${name.replace(/[^A-Za-z0-9_.-]/g, '-')}${DATASET_EXTENSION}`);
}

export function loadData(
  spec: string,
  options: { readonly symbol: string; readonly timeframe?: string; readonly gaps: 'keep' | 'fill' },
): LoadedData {
  let path = spec;
  if (!existsSync(spec)) {
    path = datasetFile(spec);
    if (!existsSync(path)) {
      throw new UsageError(
        `--data ${spec}: no such file, and no dataset of that name in ${dataDirectory()} (see \`candleflow data list\`)`,
      );
    }
  }
  const loaded = loadCandles(path, {
    symbol: options.symbol,
    gaps: options.gaps,
    cacheDir: join(dataDirectory(), 'cache'),
    ...(options.timeframe !== undefined ? { timeframe: options.timeframe } : {}),
  });
  const series =
    loaded.series.symbol === options.symbol ? loaded.series : { ...loaded.series, symbol: options.symbol };
  return { series, report: loaded.report, notes: loaded.report ? describeImport(loaded.report) : [] };
}

export function describeImport(report: ImportReport): string[] {
  const notes = [`${report.file}: ${report.bars} ${report.timeframe} bars of ${report.symbol}`];
  if (report.gapCount > 0) {
    notes.push(
      `${report.gapCount} gaps with ${report.missingBars} missing bars ${report.filledBars > 0 ? `(${report.filledBars} filled flat)` : '(kept as gaps)'}`,
    );
  }
  notes.push(...report.warnings);
  return notes;
}
