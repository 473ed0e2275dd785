import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCandlesCsv } from '../csv/parse';
import { generateCandles } from './generate';
import { writeCandlesCsv } from './write-csv';

describe('writeCandlesCsv', () => {
  it('writes ISO UTC times that the importer reads back to the same bars', () => {
    const series = generateCandles({ symbol: 'SYN', timeframe: '1h', start: 0, bars: 5_000, seed: 1 });
    const path = join(mkdtempSync(join(tmpdir(), 'candles-')), 'demo.csv');

    writeCandlesCsv(series, path);
    const text = readFileSync(path, 'utf8');
    const { series: back, report } = parseCandlesCsv(text, { symbol: 'SYN' });

    expect(text.split('\n')[1]).toMatch(/^1970-01-01T00:00:00\.000Z,/);
    expect(report.timeframe).toBe('1h');
    expect(back.time).toEqual(series.time);
    expect(back.close).toEqual(series.close);
    expect(back.volume).toEqual(series.volume);
  });
});
