import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CsvImportError } from './errors';
import { importCandlesFile, parseCandlesCsv } from './parse';

const DATA_DIR = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const hasData = existsSync(DATA_DIR);
if (!hasData) console.warn(`skipping real-data import tests: ${DATA_DIR} is absent`);

const HEADER = 'timestamp,open,high,low,close,volume';

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n');
}

function importError(
  text: string,
  options: Partial<Parameters<typeof parseCandlesCsv>[1]> = {},
): CsvImportError {
  try {
    parseCandlesCsv(text, { file: 'bad.csv', symbol: 'X', ...options });
  } catch (error) {
    if (error instanceof CsvImportError) return error;
    throw error;
  }
  throw new Error('expected a CsvImportError');
}

/** Independent reading of a simple reference file: first column is the time, then O,H,L,C,V. */
function referenceTimes(path: string): number[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const cell = line.split(',')[0] ?? '';
      return /^\d+$/.test(cell)
        ? Number(cell)
        : Date.parse(`${cell.replace(' ', 'T')}${cell.length === 10 ? 'T00:00:00' : ''}Z`);
    });
}

describe.skipIf(!hasData)('importing the reference files', () => {
  it('reads GOOG daily bars and reports weekends and holidays as gaps', () => {
    const path = join(DATA_DIR, 'GOOG.csv');
    const times = referenceTimes(path);
    const day = 86_400_000;
    const missing = times.slice(1).reduce((sum, t, i) => sum + (t - (times[i] ?? 0)) / day - 1, 0);

    const { series, report } = importCandlesFile(path, { symbol: 'GOOG' });

    expect(report.timeframe).toBe('1d');
    expect(report.rows).toBe(times.length);
    expect(Array.from(series.time)).toEqual(times);
    expect(report.missingBars).toBe(missing);
    expect(report.gapCount).toBeGreaterThan(400);
    expect(report.gaps[0]?.missingBars).toBeGreaterThan(0);
    expect(series.open[0]).toBe(100);
    expect(series.volume[0]).toBe(22351900);
  });

  it('reads EURUSD naive date-times as UTC', () => {
    const { series, report } = importCandlesFile(join(DATA_DIR, 'EURUSD.csv'), { symbol: 'EURUSD' });

    expect(report.timeframe).toBe('1h');
    expect(series.time[0]).toBe(Date.UTC(2017, 3, 19, 9));
    expect(report.rows).toBe(5000);
    expect(report.gapCount).toBeGreaterThan(0);
  });

  it('reads BTCUSD month-end bars as calendar months (1M) without gaps', () => {
    const { series, report } = importCandlesFile(join(DATA_DIR, 'BTCUSD.csv'), { symbol: 'BTCUSD' });

    expect(report.timeframe).toBe('1M');
    expect(report.rows).toBe(156);
    expect(report.gapCount).toBe(0);
    expect(series.time[1]).toBe(Date.UTC(2012, 1, 29));
  });

  it('reads epoch milliseconds in UNITTEST_BTC-1m and fills its gaps on request', () => {
    const path = join(DATA_DIR, 'UNITTEST_BTC-1m.csv');
    const times = referenceTimes(path);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 60_000 + 1;

    const kept = importCandlesFile(path, { symbol: 'BTC' });
    const filled = importCandlesFile(path, { symbol: 'BTC', gaps: 'fill' });

    expect(kept.report.timeFormat).toBe('epoch-ms');
    expect(kept.report.timeframe).toBe('1m');
    expect(kept.report.rows + kept.report.missingBars).toBe(span);
    expect(filled.series.time.length).toBe(span);
    expect(filled.report.filledBars).toBe(kept.report.missingBars);
    expect(filled.report.hash).not.toBe(kept.report.hash);
  });
});

describe('recognising layouts', () => {
  it('reads pandas output with an unnamed index column and mixed-case names', () => {
    const text = ',Open,HIGH,low,Close,Vol\n2017-04-19,1,2,0.5,1.5,10\n2017-04-20,1.5,2,1,1.2,11\n';

    const { series, report } = parseCandlesCsv(text, { symbol: 'X' });

    expect(Array.from(series.time)).toEqual([Date.UTC(2017, 3, 19), Date.UTC(2017, 3, 20)]);
    expect(Array.from(series.close)).toEqual([1.5, 1.2]);
    expect(Array.from(series.volume)).toEqual([10, 11]);
    expect(report.timeframe).toBe('1d');
  });

  it('reads semicolons with decimal commas, a BOM, CRLF, quotes and trailing blank lines', () => {
    const text =
      '\uFEFF"Date";"Open";"High";"Low";"Close";"Volume"\r\n' +
      '"2017-04-19T09:00:00Z";"1,5";2;1;1,25;3\r\n' +
      '2017-04-19T10:00:00Z;1,25;2;1;2;4\r\n\r\n\r\n';

    const { series, report } = parseCandlesCsv(text, { symbol: 'X' });

    expect(report.delimiter).toBe(';');
    expect(Array.from(series.open)).toEqual([1.5, 1.25]);
    expect(report.timeframe).toBe('1h');
  });

  it('reads tab-separated epoch seconds and ISO offsets as the same instants', () => {
    const seconds =
      'time\topen\thigh\tlow\tclose\tvolume\n1492592400\t1\t1\t1\t1\t0\n1492596000\t1\t1\t1\t1\t0\n';
    const offsets = csv('2017-04-19T11:00:00+02:00,1,1,1,1,0', '2017-04-19T05:00:00-05:00,1,1,1,1,0');

    const a = parseCandlesCsv(seconds, { symbol: 'X' });
    const b = parseCandlesCsv(offsets, { symbol: 'X' });

    expect(a.report.timeFormat).toBe('epoch-s');
    expect(Array.from(a.series.time)).toEqual([Date.UTC(2017, 3, 19, 9), Date.UTC(2017, 3, 19, 10)]);
    expect(Array.from(b.series.time)).toEqual(Array.from(a.series.time));
  });

  it('keeps a quoted field with a delimiter and a line break in an ignored column', () => {
    const text = 'open_time,open,high,low,close,volume,note\n1,1,1,1,1,1,"a, b\nc"\n2,1,1,1,1,1,x\n';

    const { report } = parseCandlesCsv(text, { symbol: 'X', timeframe: '1s' });

    expect(report.ignoredColumns).toEqual(['note']);
    expect(report.rows).toBe(2);
  });

  it('accepts a file without volume and says so', () => {
    const { series, report } = parseCandlesCsv('date,open,high,low,close\n2020-01-01,1,1,1,1\n', {
      symbol: 'X',
      timeframe: '1d',
    });

    expect(series.volume[0]).toBe(0);
    expect(report.warnings[0]).toMatch(/no volume/);
  });
});

describe('timeframe and gaps', () => {
  const day = (d: number) => `2020-01-${String(d).padStart(2, '0')},1,1,1,1,1`;

  it('infers the most common spacing and reports the missing bars of each gap', () => {
    const { report } = parseCandlesCsv(csv(day(1), day(2), day(3), day(6), day(7), day(9)), { symbol: 'X' });

    expect(report.timeframe).toBe('1d');
    expect(report.gaps).toEqual([
      { from: Date.UTC(2020, 0, 4), to: Date.UTC(2020, 0, 5), missingBars: 2 },
      { from: Date.UTC(2020, 0, 8), to: Date.UTC(2020, 0, 8), missingBars: 1 },
    ]);
    expect(report.missingBars).toBe(3);
  });

  it('fills gaps with flat zero-volume bars at the previous close', () => {
    const text = csv('2020-01-01,1,3,1,2,5', '2020-01-03,2,4,2,4,6', '2020-01-04,4,4,4,4,1');

    const { series, report } = parseCandlesCsv(text, { symbol: 'X', gaps: 'fill' });

    expect(report.filledBars).toBe(1);
    expect(series.time[1]).toBe(Date.UTC(2020, 0, 2));
    expect([series.open[1], series.high[1], series.low[1], series.close[1], series.volume[1]]).toEqual([
      2, 2, 2, 2, 0,
    ]);
  });

  it('falls back to the smallest spacing when gaps outnumber whole bars', () => {
    const { report } = parseCandlesCsv(csv(day(1), day(2), day(4), day(6), day(8)), { symbol: 'X' });

    expect(report.timeframe).toBe('1d');
    expect(report.missingBars).toBe(3);
  });

  it('fills missing calendar months at month end', () => {
    const text = csv('2020-01-31,1,1,1,1,1', '2020-04-30,1,1,1,1,1');

    const { series } = parseCandlesCsv(text, { symbol: 'X', timeframe: '1M', gaps: 'fill' });

    expect(Array.from(series.time)).toEqual([
      Date.UTC(2020, 0, 31),
      Date.UTC(2020, 1, 29),
      Date.UTC(2020, 2, 31),
      Date.UTC(2020, 3, 30),
    ]);
  });
});

describe('rejecting corrupt files with file:line', () => {
  const good = '2020-01-01,1,2,0.5,1.5,10';
  const cases: [string, string, number, RegExp][] = [
    ['wrong column count', csv(good, '2020-01-02,1,2,0.5,1.5'), 3, /expected 6 columns.*found 5/],
    ['an unparseable number', csv(good, '2020-01-02,1,2x,0.5,1.5,10'), 3, /high "2x" is not a number/],
    ['NaN', csv(good, '2020-01-02,NaN,2,0.5,1.5,10'), 3, /NaN and Infinity/],
    ['Infinity', csv('2020-01-02,1,inf,0.5,1.5,10'), 2, /NaN and Infinity/],
    ['an empty value', csv('2020-01-02,1,2,,1.5,10'), 2, /low is empty/],
    ['a negative price', csv(good, '2020-01-02,-1,2,0.5,1.5,10'), 3, /open is -1: prices must be positive/],
    ['high below low', csv('2020-01-02,1,0.5,2,1,10'), 2, /high 0.5 is below low 2/],
    ['open outside the range', csv('2020-01-02,3,2,0.5,1.5,10'), 2, /open 3 is outside/],
    ['close outside the range', csv('2020-01-02,1,2,0.5,0.4,10'), 2, /close 0.4 is outside/],
    ['negative volume', csv('2020-01-02,1,2,0.5,1.5,-3'), 2, /volume cannot be negative/],
    ['an unparseable date', csv(good, 'yesterday,1,2,0.5,1.5,10'), 3, /"yesterday" is not a date/],
    ['an impossible date', csv(good, '2020-02-30,1,2,0.5,1.5,10'), 3, /not a valid date/],
    ['a duplicated timestamp', csv(good, good), 3, /duplicate timestamp .* \(also on line 2\)/],
    ['out-of-order timestamps', csv(good, '2019-12-31,1,2,0.5,1.5,10'), 3, /earlier than .* on line 2/],
    [
      'mixed epoch units',
      csv('1577836800,1,1,1,1,1', '1577923200000,1,1,1,1,1'),
      3,
      /epoch-ms but earlier rows are epoch-s/,
    ],
    [
      'a blank line inside the data',
      csv(good, '', '2020-01-02,1,2,0.5,1.5,10'),
      3,
      /blank line inside the data/,
    ],
    ['an unclosed quote', csv(good, '"2020-01-02,1,2,0.5,1.5,10'), 3, /never closed/],
    ['a headerless file', '2020-01-01,1,2,0.5,1.5,10\n', 1, /first line is data, not a header/],
  ];

  it.each(cases)('rejects %s', (_name, text, line, message) => {
    const error = importError(text);

    expect(error.file).toBe('bad.csv');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^bad\\.csv:${line}: `));
    expect(error.message).toMatch(message);
  });

  it('names the column at fault', () => {
    expect(importError(csv('2020-01-02,1,0.5,2,1,10')).column).toBe('high');
  });

  it('names the columns found and expected when required ones are missing', () => {
    const error = importError('date,open,close,volume\n2020-01-01,1,1,1\n');

    expect(error.line).toBe(1);
    expect(error.message).toMatch(
      /missing column\(s\) high, low; found: date, open, close, volume; expected/,
    );
  });

  it('rejects two columns for one field', () => {
    expect(importError('time,open,o,high,low,close\n').message).toMatch(
      /"open" and "o" both look like the open/,
    );
  });

  it('rejects data spaced differently from the given timeframe', () => {
    const error = importError(csv('2020-01-01T00:00:00Z,1,1,1,1,1', '2020-01-01T00:01:30Z,1,1,1,1,1'), {
      timeframe: '1m',
    });

    expect(error.line).toBe(3);
    expect(error.message).toMatch(/90 s after .* does not match timeframe 1m/);
  });

  it('rejects irregular spacing it cannot infer a timeframe from', () => {
    const text = csv(
      '2020-01-01T00:00:00Z,1,1,1,1,1',
      '2020-01-01T00:01:00Z,1,1,1,1,1',
      '2020-01-01T00:02:30Z,1,1,1,1,1',
    );

    expect(importError(text).message).toMatch(/bad\.csv:4: .*irregular: pass the timeframe/);
  });

  it('rejects a timeframe that is not one', () => {
    expect(importError(csv(good), { timeframe: '5x' }).message).toMatch(/"5x" is not a timeframe/);
  });

  it('asks for the timeframe when one bar cannot show it', () => {
    expect(importError(csv(good)).message).toMatch(/single bar .* pass the timeframe/);
  });

  it('rejects empty files and files with only a header', () => {
    expect(importError('').message).toMatch(/empty/);
    expect(importError(`${HEADER}\n`).message).toMatch(/no rows/);
  });
});

describe('importCandlesFile', () => {
  it('names the path in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'candles-'));
    const path = join(dir, 'broken.csv');
    writeFileSync(path, csv('2020-01-01,1,2,0.5,1.5,10', '2020-01-02,1,2,0.5,9,10'));

    expect(() => importCandlesFile(path, { symbol: 'X' })).toThrow(`${path}:3: close 9 is outside`);
  });
});
