import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCandleCache } from './cache';
import { cachePathFor, loadCandles } from './load';

const CSV_A = 'timestamp,open,high,low,close,volume\n2020-01-01,1,2,1,2,5\n2020-01-02,2,3,2,3,6\n';
const CSV_B =
  'timestamp,open,high,low,close,volume\n2020-01-01,1,2,1,2,5\n2020-01-02,2,3,2,2.5,6\n2020-01-03,2.5,3,2,3,7\n';

function setup(): { dir: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'candle-load-'));
  const csv = join(dir, 'BTC.csv');
  writeFileSync(csv, CSV_A);
  return { dir, csv };
}

describe('loadCandles', () => {
  it('imports a CSV once, then serves it from the cache', () => {
    const { dir, csv } = setup();

    const first = loadCandles(csv);
    const second = loadCandles(csv);

    expect(first.cache).toBe('miss');
    expect(second.cache).toBe('hit');
    expect(first.cachePath).toBe(join(dir, '.candleflow-cache', first.cachePath?.split('/').at(-1) ?? ''));
    expect(second.series.close).toEqual(first.series.close);
    expect(second.series.symbol).toBe('BTC');
    expect(second.report).toEqual(first.report);
  });

  it('re-imports when the CSV changes', () => {
    const { csv } = setup();
    loadCandles(csv);
    writeFileSync(csv, CSV_B);
    const later = new Date(Date.now() + 5_000);
    utimesSync(csv, later, later);

    const reloaded = loadCandles(csv);

    expect(reloaded.cache).toBe('stale');
    expect(Array.from(reloaded.series.close)).toEqual([2, 2.5, 3]);
    expect(loadCandles(csv).cache).toBe('hit');
  });

  it('notices a same-size edit with the same mtime when asked to verify the source', () => {
    const { csv } = setup();
    const first = loadCandles(csv);
    const when = new Date(2020, 0, 1);
    writeFileSync(csv, CSV_A.replace('2,3,2,3,6', '2,3,2,3,7'));
    utimesSync(csv, when, when);
    loadCandles(csv); // stamps the cache with this mtime
    writeFileSync(csv, CSV_A);
    utimesSync(csv, when, when);

    const trusted = loadCandles(csv);
    const verified = loadCandles(csv, { verifySource: true });

    expect(trusted.cache).toBe('hit');
    expect(trusted.series.volume[1]).toBe(7);
    expect(verified.cache).toBe('stale');
    expect(verified.series.volume[1]).toBe(first.series.volume[1]);
  });

  it('rebuilds a corrupt cache and says so', () => {
    const { csv } = setup();
    const { cachePath } = loadCandles(csv);
    const bytes = readFileSync(cachePath ?? '');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(cachePath ?? '', bytes);

    const reloaded = loadCandles(csv);

    expect(reloaded.cache).toBe('corrupt');
    expect(loadCandles(csv).cache).toBe('hit');
  });

  it('keeps separate caches for different import settings and a custom cache directory', () => {
    const { dir, csv } = setup();
    const cacheDir = join(dir, 'elsewhere');

    const kept = loadCandles(csv, { cacheDir, symbol: 'BTC/USDT', timeframe: '1d' });
    const filled = loadCandles(csv, { cacheDir, symbol: 'BTC/USDT', timeframe: '1d', gaps: 'fill' });

    expect(kept.cachePath).not.toBe(filled.cachePath);
    expect(kept.cachePath).toBe(cachePathFor(csv, 'BTC/USDT', { cacheDir, timeframe: '1d' }));
    expect(existsSync(kept.cachePath ?? '')).toBe(true);
    expect(kept.series.symbol).toBe('BTC/USDT');
  });

  it('opens a cache file directly', () => {
    const { dir, csv } = setup();
    const { series } = loadCandles(csv);
    const path = join(dir, 'direct.candles');
    writeCandleCache(path, series);

    const loaded = loadCandles(path);

    expect(loaded.cache).toBe('not-cached');
    expect(loaded.report).toBeNull();
    expect(loaded.series.close).toEqual(series.close);
  });

  it('passes import errors through with file and line', () => {
    const { csv } = setup();
    writeFileSync(csv, `${CSV_A}2020-01-02,1,1,1,1,1\n`);

    expect(() => loadCandles(csv)).toThrow(`${csv}:4: duplicate timestamp`);
  });
});
