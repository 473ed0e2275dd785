// CSV candle import: reads a file of bars, refuses anything corrupt with file:line, infers and
// checks the timeframe, reports (and optionally fills) gaps, and hashes the result.
import { readFileSync } from 'node:fs';
import { hashCandles } from '../hash';
import { formatTimeframe, MONTHLY, monthsBetween, requireTimeframeStep, stepForward } from '../timeframe';
import type { TimeframeStep } from '../timeframe';
import type { CandleSeries } from '../types';
import { type Field, mapColumns } from './columns';
import { CsvImportError } from './errors';
import { type CsvRecord, detectDelimiter, forEachRecord } from './records';
import { parseTimestamp, type TimeFormat } from './timestamps';

export interface CsvImportOptions {
  /** Name used in error messages and the report; defaults to "<csv>" (or the path for files). */
  readonly file?: string;
  readonly symbol: string;
  /** Expected timeframe ("1m", "1d", "1M" for calendar months); inferred when absent. */
  readonly timeframe?: string;
  /** keep (default): gaps stay gaps. fill: missing bars become flat bars at the previous close, volume 0. */
  readonly gaps?: 'keep' | 'fill';
}

/** Missing bars between two bars of the file: open times of the first and last missing bar. */
export interface Gap {
  readonly from: number;
  readonly to: number;
  readonly missingBars: number;
}

export interface ImportReport {
  readonly file: string;
  readonly symbol: string;
  /** Data rows read from the file. */
  readonly rows: number;
  /** Bars in the series (rows plus filled bars). */
  readonly bars: number;
  readonly firstTime: number;
  readonly lastTime: number;
  readonly timeframe: string;
  readonly timeframeInferred: boolean;
  readonly timeFormat: TimeFormat;
  /** Number of gaps and of bars missing in them, over the whole file. */
  readonly gapCount: number;
  readonly missingBars: number;
  /** The first MAX_LISTED_GAPS gaps. */
  readonly gaps: readonly Gap[];
  /** Bars added by gaps: 'fill' (0 with 'keep'). */
  readonly filledBars: number;
  readonly delimiter: string;
  readonly ignoredColumns: readonly string[];
  readonly warnings: readonly string[];
  /** hashCandles of the returned series. */
  readonly hash: string;
}

export const MAX_LISTED_GAPS = 20;
const FIELDS: readonly Field[] = ['open', 'high', 'low', 'close', 'volume'];
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Parses candle CSV text. Throws CsvImportError naming file and line for anything corrupt. */
export function parseCandlesCsv(
  text: string,
  options: CsvImportOptions,
): { series: CandleSeries; report: ImportReport } {
  const file = options.file ?? '<csv>';
  const firstBreak = text.indexOf('\n');
  const headerLine = firstBreak === -1 ? text : text.slice(0, firstBreak);
  const delimiter = detectDelimiter(headerLine.replace(/^\uFEFF/, ''));
  // Upper bound on rows, so the columns are allocated once.
  let capacity = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) capacity++;
  const cols = {
    time: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
  };
  const lines = new Uint32Array(capacity);
  let n = 0;
  let header: ReturnType<typeof mapColumns> | undefined;
  let timeFormat: TimeFormat | undefined;
  const decimalComma = delimiter === ';';

  const readRow = (record: CsvRecord): void => {
    if (header === undefined) {
      if (record.fields.every((f) => f.trim() !== '' && typeof parseTimestamp(f) !== 'string')) {
        throw new CsvImportError(
          { file, line: record.line },
          'the first line is data, not a header: add a header such as timestamp,open,high,low,close,volume',
        );
      }
      header = mapColumns(record.fields, file, record.line);
      return;
    }
    const { index, names } = header;
    const { fields, line } = record;
    if (fields.length !== names.length) {
      throw new CsvImportError(
        { file, line },
        `expected ${names.length} columns as in the header, found ${fields.length}`,
      );
    }
    const timeName = names[index.time] || 'time';
    const time = parseTimestamp(fields[index.time] ?? '');
    if (typeof time === 'string') throw new CsvImportError({ file, line, column: timeName }, time);
    if (timeFormat === undefined) timeFormat = time.format;
    else if (time.format !== timeFormat) {
      throw new CsvImportError(
        { file, line, column: timeName },
        `time "${fields[index.time]}" is ${time.format} but earlier rows are ${timeFormat}; use one format per file`,
      );
    }
    if (n > 0) {
      const prev = cols.time[n - 1] ?? 0;
      if (time.ms === prev) {
        throw new CsvImportError(
          { file, line, column: timeName },
          `duplicate timestamp ${iso(time.ms)} (also on line ${lines[n - 1]}); remove one of the rows`,
        );
      }
      if (time.ms < prev) {
        throw new CsvImportError(
          { file, line, column: timeName },
          `timestamp ${iso(time.ms)} is earlier than ${iso(prev)} on line ${lines[n - 1]}; rows must be in time order (sort the file)`,
        );
      }
    }
    cols.time[n] = time.ms;
    for (const field of FIELDS) {
      const col = index[field];
      if (col === -1) continue;
      const value = parseNumber(fields[col] ?? '', decimalComma);
      const name = names[col] ?? field;
      if (typeof value === 'string')
        throw new CsvImportError({ file, line, column: name }, `${name} ${value}`);
      cols[field][n] = value;
    }
    checkBar(n, file, line, names, index);
    lines[n] = line;
    n++;
  };

  const checkBar = (
    i: number,
    f: string,
    line: number,
    names: readonly string[],
    index: Record<Field, number>,
  ) => {
    const o = cols.open[i] ?? 0;
    const h = cols.high[i] ?? 0;
    const l = cols.low[i] ?? 0;
    const c = cols.close[i] ?? 0;
    const v = cols.volume[i] ?? 0;
    const at = (field: Field) => ({ file: f, line, column: names[index[field]] ?? field });
    for (const [field, value] of [
      ['open', o],
      ['high', h],
      ['low', l],
      ['close', c],
    ] as const) {
      if (value <= 0) throw new CsvImportError(at(field), `${field} is ${value}: prices must be positive`);
    }
    if (h < l) throw new CsvImportError(at('high'), `high ${h} is below low ${l}`);
    if (o < l || o > h)
      throw new CsvImportError(at('open'), `open ${o} is outside the bar's range [${l}, ${h}]`);
    if (c < l || c > h)
      throw new CsvImportError(at('close'), `close ${c} is outside the bar's range [${l}, ${h}]`);
    if (v < 0) throw new CsvImportError(at('volume'), `volume is ${v}: volume cannot be negative`);
  };

  forEachRecord(text, delimiter, file, readRow);
  if (header === undefined) throw new CsvImportError({ file, line: 1 }, 'the file is empty');
  if (n === 0) throw new CsvImportError({ file, line: 2 }, 'the file has a header but no rows');

  const warnings: string[] = [];
  if (header.index.volume === -1) warnings.push('no volume column: volumes are 0');
  const read = trim(cols, n, options.symbol, '');
  const spacing = checkSpacing(read.time, lines, n, file, options.timeframe);
  const filled = options.gaps === 'fill' ? fillGaps(read, spacing.step, spacing.missingBars) : read;
  const series: CandleSeries = { ...filled, symbol: options.symbol, timeframe: spacing.timeframe };
  const report: ImportReport = {
    file,
    symbol: options.symbol,
    rows: n,
    bars: series.time.length,
    firstTime: series.time[0] ?? Number.NaN,
    lastTime: series.time[series.time.length - 1] ?? Number.NaN,
    timeframe: spacing.timeframe,
    timeframeInferred: options.timeframe === undefined,
    timeFormat: timeFormat ?? 'iso',
    gapCount: spacing.gapCount,
    missingBars: spacing.missingBars,
    gaps: spacing.gaps,
    filledBars: series.time.length - n,
    delimiter,
    ignoredColumns: header.ignored,
    warnings,
    hash: hashCandles(series),
  };
  return { series, report };
}

/** Reads and parses a CSV file (whole-file read: fine up to a few hundred MB). */
export function importCandlesFile(
  path: string,
  options: CsvImportOptions,
): { series: CandleSeries; report: ImportReport } {
  const text = readFileSync(path, 'utf8');
  return parseCandlesCsv(text, { ...options, file: options.file ?? path });
}

function parseNumber(raw: string, decimalComma: boolean): number | string {
  let text = raw.trim();
  if (text === '') return 'is empty';
  if (decimalComma) text = text.replace(',', '.');
  if (NOT_FINITE.test(text)) return `is "${raw}": NaN and Infinity are not values`;
  if (!NUMBER.test(text)) return `"${raw}" is not a number`;
  const value = Number(text);
  if (!Number.isFinite(value)) return `"${raw}" is too large`;
  return value;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

type Columns = Omit<CandleSeries, 'symbol' | 'timeframe'>;

function trim(cols: Columns, n: number, symbol: string, timeframe: string): CandleSeries {
  // slice, not subarray: the over-allocated buffers should not outlive the import.
  return {
    symbol,
    timeframe,
    time: cols.time.slice(0, n),
    open: cols.open.slice(0, n),
    high: cols.high.slice(0, n),
    low: cols.low.slice(0, n),
    close: cols.close.slice(0, n),
    volume: cols.volume.slice(0, n),
  };
}

interface Spacing {
  readonly timeframe: string;
  readonly step: TimeframeStep;
  readonly gapCount: number;
  readonly missingBars: number;
  readonly gaps: Gap[];
}

/** Bars between two times under a step, or null when the spacing is not whole bars. */
function barsBetween(step: TimeframeStep, a: number, b: number): number | null {
  if (step.kind === 'month') return monthsBetween(a, b);
  const d = b - a;
  return d % step.ms === 0 ? d / step.ms : null;
}

const DAY_MS = 86_400_000;

function candidateTimeframes(time: Float64Array): string[] {
  const counts = new Map<number, number>();
  let min = Number.POSITIVE_INFINITY;
  for (let i = 1; i < time.length; i++) {
    const d = (time[i] ?? 0) - (time[i - 1] ?? 0);
    counts.set(d, (counts.get(d) ?? 0) + 1);
    if (d < min) min = d;
  }
  let mode = min;
  let best = 0;
  for (const [d, count] of counts) {
    if (count > best) {
      mode = d;
      best = count;
    }
  }
  const candidates: string[] = [];
  // Calendar months are 28 to 31 days long, so monthly bars have no single spacing.
  if (mode >= 28 * DAY_MS && mode <= 31 * DAY_MS) candidates.push(MONTHLY);
  for (const d of [mode, min]) {
    if (d % 1000 === 0 && !candidates.includes(formatTimeframe(d))) candidates.push(formatTimeframe(d));
  }
  return candidates;
}

function checkSpacing(
  time: Float64Array,
  lines: Uint32Array,
  n: number,
  file: string,
  given: string | undefined,
): Spacing {
  let candidates: string[];
  if (given !== undefined) {
    try {
      requireTimeframeStep(given);
    } catch (error) {
      throw new CsvImportError({ file, line: 1 }, (error as Error).message);
    }
    candidates = [given];
  } else if (n < 2) {
    throw new CsvImportError(
      { file, line: lines[0] ?? 2 },
      'a single bar does not show its timeframe: pass the timeframe',
    );
  } else {
    candidates = candidateTimeframes(time);
    if (candidates.length === 0) {
      throw new CsvImportError(
        { file, line: lines[1] ?? 2 },
        'bars are not a whole number of seconds apart: pass the timeframe',
      );
    }
  }
  let firstFailure: CsvImportError | undefined;
  for (const timeframe of candidates) {
    const step = requireTimeframeStep(timeframe);
    const gaps: Gap[] = [];
    let gapCount = 0;
    let missingBars = 0;
    let failed = false;
    for (let i = 1; i < n; i++) {
      const prev = time[i - 1] ?? 0;
      const bars = barsBetween(step, prev, time[i] ?? 0);
      if (bars === null) {
        const apart = ((time[i] ?? 0) - prev) / 1000;
        firstFailure ??= new CsvImportError(
          { file, line: lines[i] ?? 0 },
          `this bar opens ${apart} s after the previous one (line ${lines[i - 1]}), which is not a whole number of ${timeframe} bars; ` +
            (given === undefined
              ? 'the spacing is irregular: pass the timeframe, or fix the file'
              : `the file's spacing does not match timeframe ${given}`),
        );
        failed = true;
        break;
      }
      if (bars > 1) {
        gapCount++;
        missingBars += bars - 1;
        if (gaps.length < MAX_LISTED_GAPS) {
          gaps.push({
            from: stepForward(step, prev, 1),
            to: stepForward(step, prev, bars - 1),
            missingBars: bars - 1,
          });
        }
      }
    }
    if (!failed) return { timeframe, step, gapCount, missingBars, gaps };
  }
  throw firstFailure ?? new Error('unreachable: every timeframe candidate failed without an error');
}

/** Flat bars at the previous close with zero volume: no invented price movement. */
function fillGaps(series: CandleSeries, step: TimeframeStep, missing: number): CandleSeries {
  const n = series.time.length;
  const size = n + missing;
  const out = {
    time: new Float64Array(size),
    open: new Float64Array(size),
    high: new Float64Array(size),
    low: new Float64Array(size),
    close: new Float64Array(size),
    volume: new Float64Array(size),
  };
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const prevTime = series.time[i - 1] ?? 0;
      const prevClose = series.close[i - 1] ?? 0;
      const bars = barsBetween(step, prevTime, series.time[i] ?? 0) ?? 1;
      for (let k = 1; k < bars; k++, j++) {
        out.time[j] = stepForward(step, prevTime, k);
        out.open[j] = prevClose;
        out.high[j] = prevClose;
        out.low[j] = prevClose;
        out.close[j] = prevClose;
        out.volume[j] = 0;
      }
    }
    out.time[j] = series.time[i] ?? 0;
    out.open[j] = series.open[i] ?? 0;
    out.high[j] = series.high[i] ?? 0;
    out.low[j] = series.low[i] ?? 0;
    out.close[j] = series.close[i] ?? 0;
    out.volume[j] = series.volume[i] ?? 0;
    j++;
  }
  return { ...out, symbol: series.symbol, timeframe: series.timeframe };
}
