// Maps a header line to the candle fields, whatever the case and spelling ("Open", "HIGH", "vol",
// "open_time", pandas' unnamed index column).
import { CsvImportError } from './errors';

export type Field = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume';

const ALIASES: Record<Field, readonly string[]> = {
  time: ['timestamp', 'time', 'date', 'datetime', 'opentime', 'ts', 'unix', 'unixtime', 'timestampms'],
  open: ['open', 'o', 'openprice'],
  high: ['high', 'h', 'highprice'],
  low: ['low', 'l', 'lowprice'],
  close: ['close', 'c', 'closeprice'],
  volume: ['volume', 'vol', 'v', 'basevolume'],
};

const REQUIRED: readonly Field[] = ['time', 'open', 'high', 'low', 'close'];

export interface ColumnMap {
  /** Column index of each field; volume is -1 when the file has none. */
  readonly index: Record<Field, number>;
  /** Header names as written, for error messages. */
  readonly names: readonly string[];
  /** Columns that are not candle fields (e.g. "Adj Close"), kept out of the series. */
  readonly ignored: readonly string[];
}

function normalise(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function mapColumns(header: readonly string[], file: string, line: number): ColumnMap {
  const names = header.map((h) => h.trim());
  const index: Record<Field, number> = { time: -1, open: -1, high: -1, low: -1, close: -1, volume: -1 };
  const ignored: string[] = [];
  names.forEach((name, i) => {
    const key = normalise(name);
    const field = (Object.keys(ALIASES) as Field[]).find((f) => ALIASES[f].includes(key));
    if (field === undefined) {
      if (!(i === 0 && key === '')) ignored.push(name === '' ? `(unnamed column ${i + 1})` : name);
      return;
    }
    if (index[field] !== -1) {
      throw new CsvImportError(
        { file, line, column: name },
        `columns "${names[index[field]]}" and "${name}" both look like the ${field} column; rename or remove one`,
      );
    }
    index[field] = i;
  });
  // pandas writes the index as an unnamed first column: that is the time when nothing else is.
  if (index.time === -1 && names.length > 0 && normalise(names[0] ?? '') === '') index.time = 0;
  const missing = REQUIRED.filter((f) => index[f] === -1);
  if (missing.length > 0) {
    throw new CsvImportError(
      { file, line },
      `missing column(s) ${missing.join(', ')}; found: ${names.map((n) => (n === '' ? '(unnamed)' : n)).join(', ')}; ` +
        'expected a time column (timestamp, time, date, datetime, open_time or an unnamed first column) ' +
        'and open, high, low, close, with volume optional',
    );
  }
  return { index, names, ignored };
}
