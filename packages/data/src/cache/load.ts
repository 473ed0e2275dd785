// Loads candles from a CSV or a cache file; a CSV's import is cached beside it and redone when
// the CSV changes, so the second run of a backtest skips parsing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type ImportReport, parseCandlesCsv } from '../csv/parse';
import type { CandleSeries } from '../types';
import { CACHE_FORMAT_VERSION, CandleCacheError, readCache, writeCandleCache } from './cache';

export const CACHE_EXTENSION = '.candles';
export const DEFAULT_CACHE_DIR = '.candleflow-cache';

export interface LoadCandlesOptions {
  /** Symbol for a CSV; defaults to the file name without extension. */
  readonly symbol?: string;
  readonly timeframe?: string;
  readonly gaps?: 'keep' | 'fill';
  /** Where CSV caches go; defaults to ".candleflow-cache" beside the CSV. */
  readonly cacheDir?: string;
  /** Also compare the CSV's sha256 with the cached one (costs a read of the CSV, no parse). */
  readonly verifySource?: boolean;
}

export type CacheOutcome = 'hit' | 'miss' | 'stale' | 'corrupt' | 'not-cached';

export interface LoadedCandles {
  readonly series: CandleSeries;
  /** The import report (from the cache on a hit); null for a cache file opened directly. */
  readonly report: ImportReport | null;
  readonly cachePath: string | null;
  /** miss: no cache yet; stale: the CSV changed; corrupt: the cache was damaged and rebuilt. */
  readonly cache: CacheOutcome;
}

interface SourceStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

interface CsvCacheMeta {
  readonly source: SourceStamp;
  readonly report: ImportReport;
}

export function loadCandles(path: string, options: LoadCandlesOptions = {}): LoadedCandles {
  if (extname(path) === CACHE_EXTENSION) {
    return { series: readCache(path).series, report: null, cachePath: path, cache: 'not-cached' };
  }
  const symbol = options.symbol ?? basename(path, extname(path));
  const cachePath = cachePathFor(path, symbol, options);
  const stat = statSync(path);
  let outcome: CacheOutcome = 'miss';
  if (existsSync(cachePath)) {
    try {
      const { header, series } = readCache(cachePath);
      const meta = header.meta as CsvCacheMeta | undefined;
      const fresh =
        meta?.source !== undefined &&
        meta.source.size === stat.size &&
        meta.source.mtimeMs === stat.mtimeMs &&
        (options.verifySource !== true || meta.source.sha256 === sha256(readFileSync(path)));
      if (fresh) return { series, report: meta.report, cachePath, cache: 'hit' };
      outcome = 'stale';
    } catch (error) {
      // A damaged cache is only a copy: rebuild it from the CSV, and say so in the result.
      if (!(error instanceof CandleCacheError)) throw error;
      outcome = 'corrupt';
    }
  }
  const bytes = readFileSync(path);
  const { series, report } = parseCandlesCsv(bytes.toString('utf8'), {
    file: path,
    symbol,
    ...(options.timeframe === undefined ? {} : { timeframe: options.timeframe }),
    ...(options.gaps === undefined ? {} : { gaps: options.gaps }),
  });
  const meta: CsvCacheMeta = {
    source: { size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(bytes) },
    report,
  };
  mkdirSync(dirname(cachePath), { recursive: true });
  writeCandleCache(cachePath, series, meta);
  return { series, report, cachePath, cache: outcome };
}

/** One cache file per CSV and import settings: other settings give other data. */
export function cachePathFor(csvPath: string, symbol: string, options: LoadCandlesOptions = {}): string {
  const absolute = resolve(csvPath);
  const key = sha256(
    Buffer.from(
      JSON.stringify([
        CACHE_FORMAT_VERSION,
        absolute,
        symbol,
        options.timeframe ?? null,
        options.gaps ?? 'keep',
      ]),
    ),
  ).slice(0, 16);
  const dir = options.cacheDir ?? join(dirname(absolute), DEFAULT_CACHE_DIR);
  return join(dir, `${basename(csvPath, extname(csvPath))}.${key}${CACHE_EXTENSION}`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
