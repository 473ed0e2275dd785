// The columnar binary candle cache: one file, a JSON header and the six float64 columns, read
// back with one readFileSync and zero-copy Float64Array views.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { COLUMNS, hashCandles } from '../hash';
import type { CandleSeries } from '../types';
import { checksum64 } from './checksum';

/*
 * Layout (little-endian):
 *   0  "CFCANDLE" magic (8 bytes)
 *   8  u32 format version
 *   12 u32 byte length of the JSON header, padded with spaces to a multiple of 8
 *   16 u32 u32 checksum64 of everything from byte 24 to the end
 *   24 JSON header, then time, open, high, low, close, volume: count float64 each, 8-aligned
 */
const MAGIC = 'CFCANDLE';
export const CACHE_FORMAT_VERSION = 1;
const PREFIX = 24;

export interface CacheHeader {
  readonly magic: typeof MAGIC;
  readonly version: number;
  readonly symbol: string;
  readonly timeframe: string;
  readonly count: number;
  /** hashCandles of the columns, for provenance. */
  readonly hash: string;
  /** Whatever the writer wants kept with the data (loadCandles keeps the source and report). */
  readonly meta?: unknown;
}

export class CandleCacheError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}; delete the file and import the data again`);
    this.name = 'CandleCacheError';
  }
}

function requireLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('the candle cache format is little-endian only');
}

/** Writes atomically (temporary file, then rename), so a crash never leaves half a cache. */
export function writeCandleCache(path: string, series: CandleSeries, meta?: unknown): CacheHeader {
  requireLittleEndian();
  const count = series.time.length;
  for (const column of COLUMNS) {
    if (series[column].length !== count) {
      throw new Error(
        `cannot cache ${series.symbol}: column ${column} has ${series[column].length} values, time has ${count}`,
      );
    }
  }
  const header: CacheHeader = {
    magic: MAGIC,
    version: CACHE_FORMAT_VERSION,
    symbol: series.symbol,
    timeframe: series.timeframe,
    count,
    hash: hashCandles(series),
    ...(meta === undefined ? {} : { meta }),
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const bytes = new Uint8Array(PREFIX + padded + COLUMNS.length * count * 8);
  bytes.set(Buffer.from(MAGIC, 'latin1'), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, CACHE_FORMAT_VERSION, true);
  view.setUint32(12, padded, true);
  bytes.set(json, PREFIX);
  let offset = PREFIX + padded;
  for (const column of COLUMNS) {
    const values = series[column];
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    offset += values.byteLength;
  }
  const [a, b] = checksum64(new Uint32Array(bytes.buffer, PREFIX));
  view.setUint32(16, a, true);
  view.setUint32(20, b, true);

  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  return header;
}

/** Reads only the header (still checksum-verified, since the header says what the data is). */
export function readCandleCacheHeader(path: string): CacheHeader {
  return readCache(path).header;
}

export function readCandleCache(path: string, options: { verifyHash?: boolean } = {}): CandleSeries {
  const { series, header } = readCache(path);
  // The sha256 check costs more than the whole reload; the checksum already catches corruption.
  if (options.verifyHash === true && hashCandles(series) !== header.hash) {
    throw new CandleCacheError(path, 'the data does not match the hash in its header');
  }
  return series;
}

/** Reads a cache file: header and zero-copy column views over the one buffer read. */
export function readCache(path: string): { header: CacheHeader; series: CandleSeries } {
  requireLittleEndian();
  let file: Buffer = readFileSync(path);
  if (file.length < PREFIX || file.toString('latin1', 0, 8) !== MAGIC) {
    throw new CandleCacheError(path, 'not a Candleflow candle cache (bad magic bytes)');
  }
  const version = file.readUInt32LE(8);
  if (version !== CACHE_FORMAT_VERSION) {
    throw new CandleCacheError(
      path,
      `cache format version ${version}, this build reads ${CACHE_FORMAT_VERSION}`,
    );
  }
  const headerLength = file.readUInt32LE(12);
  if (headerLength % 8 !== 0 || PREFIX + headerLength > file.length || file.length % 8 !== 0) {
    throw new CandleCacheError(path, 'the cache is corrupt or truncated (bad header length or file size)');
  }
  // Float64Array views need 8-byte alignment; small Buffers can sit at any offset of Node's pool.
  if (file.byteOffset % 8 !== 0) file = Buffer.from(new Uint8Array(file));
  const [a, b] = checksum64(
    new Uint32Array(file.buffer, file.byteOffset + PREFIX, (file.length - PREFIX) / 4),
  );
  if (a !== file.readUInt32LE(16) || b !== file.readUInt32LE(20)) {
    throw new CandleCacheError(path, 'the cache is corrupt (checksum mismatch)');
  }
  let header: CacheHeader;
  try {
    header = JSON.parse(file.toString('utf8', PREFIX, PREFIX + headerLength)) as CacheHeader;
  } catch {
    throw new CandleCacheError(path, 'the cache is corrupt (unreadable JSON header)');
  }
  const count = header.count;
  if (header.magic !== MAGIC || !Number.isInteger(count) || count < 0) {
    throw new CandleCacheError(path, 'the cache header is invalid');
  }
  const expected = PREFIX + headerLength + COLUMNS.length * count * 8;
  if (file.length !== expected) {
    throw new CandleCacheError(path, `the cache is ${file.length} bytes, its header promises ${expected}`);
  }
  const start = file.byteOffset + PREFIX + headerLength;
  const column = (i: number) => new Float64Array(file.buffer, start + i * count * 8, count);
  const series: CandleSeries = {
    symbol: header.symbol,
    timeframe: header.timeframe,
    time: column(0),
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
  };
  return { header, series };
}
