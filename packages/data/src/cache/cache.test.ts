import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCandles } from '../generate/generate';
import { hashCandles } from '../hash';
import { CandleCacheError, readCandleCache, readCandleCacheHeader, writeCandleCache } from './cache';
import { checksum64 } from './checksum';

const dir = mkdtempSync(join(tmpdir(), 'candle-cache-'));
const series = generateCandles({ symbol: 'BTC/USDT', timeframe: '1h', start: 0, bars: 1_000, seed: 3 });

function corruptAt(offsetFromEnd: number): string {
  const path = join(dir, `corrupt-${offsetFromEnd}.candles`);
  writeCandleCache(path, series);
  const bytes = readFileSync(path);
  const at = offsetFromEnd < 0 ? bytes.length + offsetFromEnd : offsetFromEnd;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(path, bytes);
  return path;
}

describe('candle cache', () => {
  it('round-trips symbol, timeframe and every column exactly', () => {
    const path = join(dir, 'round.candles');

    const written = writeCandleCache(path, series, { note: 'kept' });
    const back = readCandleCache(path, { verifyHash: true });

    expect(back.symbol).toBe('BTC/USDT');
    expect(back.timeframe).toBe('1h');
    for (const column of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(back[column]).toEqual(series[column]);
    }
    expect(readCandleCacheHeader(path)).toMatchObject({
      count: 1_000,
      hash: written.hash,
      meta: { note: 'kept' },
    });
  });

  it('returns views over the one buffer it read instead of copies', () => {
    const path = join(dir, 'views.candles');
    writeCandleCache(path, series);

    const back = readCandleCache(path);

    expect(back.close.buffer).toBe(back.time.buffer);
  });

  it('round-trips an empty series', () => {
    const path = join(dir, 'empty.candles');
    const empty = {
      ...series,
      time: new Float64Array(0),
      open: new Float64Array(0),
      high: new Float64Array(0),
      low: new Float64Array(0),
      close: new Float64Array(0),
      volume: new Float64Array(0),
    };

    writeCandleCache(path, empty);

    expect(readCandleCache(path).time.length).toBe(0);
  });

  it('detects a flipped byte in the data', () => {
    expect(() => readCandleCache(corruptAt(-3))).toThrow(/corrupt \(checksum mismatch\); delete the file/);
  });

  it('detects a flipped byte in the JSON header', () => {
    expect(() => readCandleCache(corruptAt(30))).toThrow(CandleCacheError);
  });

  it('detects a flipped byte in the stored checksum', () => {
    expect(() => readCandleCache(corruptAt(17))).toThrow(/checksum mismatch/);
  });

  it('detects a truncated file', () => {
    const path = join(dir, 'truncated.candles');
    writeCandleCache(path, series);
    writeFileSync(path, readFileSync(path).subarray(0, -8));

    expect(() => readCandleCache(path)).toThrow(CandleCacheError);
  });

  it('refuses a file that is not a cache', () => {
    const path = join(dir, 'not.candles');
    writeFileSync(path, 'timestamp,open\n');

    expect(() => readCandleCache(path)).toThrow(/not a Candleflow candle cache/);
  });

  it('refuses columns of different lengths', () => {
    expect(() =>
      writeCandleCache(join(dir, 'bad.candles'), { ...series, volume: new Float64Array(3) }),
    ).toThrow(/column volume has 3 values, time has 1000/);
  });

  it('reloads a million candles as views on one buffer, values intact (its speed is in npm run bench)', () => {
    const big = generateCandles({ symbol: 'X', timeframe: '1m', start: 0, bars: 1_000_000, seed: 9 });
    const path = join(dir, 'big.candles');
    writeCandleCache(path, big);

    const back = readCandleCache(path);

    expect(back.time.length).toBe(1_000_000);
    expect(back.close.buffer).toBe(back.open.buffer);
    for (const i of [0, 1, 499_999, 999_999]) {
      expect(back.time[i]).toBe(big.time[i]);
      expect(back.close[i]).toBe(big.close[i]);
      expect(back.volume[i]).toBe(big.volume[i]);
    }
  });
});

describe('checksum64', () => {
  it('changes when any single word changes, including its top bit', () => {
    const words = new Uint32Array(64).map((_, i) => i * 2654435761);
    const base = checksum64(words);

    for (const [index, bit] of [
      [0, 0],
      [31, 31],
      [63, 7],
    ] as const) {
      const changed = words.slice();
      changed[index] = (changed[index] ?? 0) ^ (1 << bit);
      expect(checksum64(changed)).not.toEqual(base);
    }
  });

  it('notices trailing zero words', () => {
    expect(checksum64(new Uint32Array(4))).not.toEqual(checksum64(new Uint32Array(6)));
  });
});

describe('hashCandles', () => {
  it('is the sha256 of the little-endian float64 columns in canonical order', async () => {
    const { createHash } = await import('node:crypto');
    const columns = [series.time, series.open, series.high, series.low, series.close, series.volume];
    const bytes = new DataView(new ArrayBuffer(columns.length * series.time.length * 8));
    let offset = 0;
    for (const column of columns) {
      for (const value of column) {
        bytes.setFloat64(offset, value, true);
        offset += 8;
      }
    }

    expect(hashCandles(series)).toBe(createHash('sha256').update(new Uint8Array(bytes.buffer)).digest('hex'));
  });

  it('changes when one value changes', () => {
    const close = series.close.slice();
    close[500] = (close[500] ?? 0) + 0.01;

    expect(hashCandles({ ...series, close })).not.toBe(hashCandles(series));
  });
});
