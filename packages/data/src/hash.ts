// The data hash of a candle series: provenance records and cache keys name data by it.
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import type { CandleSeries } from './types';

/** The six columns in their canonical order; the hash and the cache file both use it. */
export const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * sha256 (hex) of the columns' float64 little-endian bytes, in COLUMNS order. Symbol and
 * timeframe are not part of it: the same bars under another name are the same data.
 */
export function hashCandles(series: CandleSeries): string {
  // Typed arrays use the machine's byte order; every platform Node supports is little-endian,
  // and this check keeps a hash from silently changing meaning if that ever stops being true.
  if (endianness() !== 'LE') throw new Error('hashCandles needs a little-endian machine');
  const hash = createHash('sha256');
  for (const column of COLUMNS) {
    const values = series[column];
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex');
}
