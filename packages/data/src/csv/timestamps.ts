// Turns the time column's text into UTC milliseconds: ISO dates and date-times (naive ones are UTC,
// offsets are honoured) and epoch numbers whose unit is decided by magnitude.

/**
 * Epoch numbers are read by magnitude: below 1e11 they are seconds (1e11 s is the year 5138,
 * while 1e11 ms is only March 1973), below 1e14 milliseconds, below 1e17 microseconds, and
 * nanoseconds above. One file keeps one unit: a row in another unit is an error.
 */
export type TimeFormat = 'iso' | 'epoch-s' | 'epoch-ms' | 'epoch-us' | 'epoch-ns';

const EPOCH = /^[+-]?\d+(?:\.\d+)?$/;
const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface ParsedTime {
  readonly ms: number;
  readonly format: TimeFormat;
}

/** Returns the time, or a sentence saying why the text is not one. */
export function parseTimestamp(raw: string): ParsedTime | string {
  const text = raw.trim();
  if (text === '') return 'the time is empty';
  if (EPOCH.test(text)) return parseEpoch(Number(text));
  const m = ISO.exec(text);
  if (!m) {
    return `"${raw}" is not a date: use ISO dates (2017-04-19, 2017-04-19 09:00:00, 2017-04-19T09:00:00Z) or epoch seconds/milliseconds`;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(base);
  // Date.UTC rolls 2017-02-30 over into March; a round trip exposes such dates.
  if (
    month < 1 ||
    month > 12 ||
    check.getUTCDate() !== day ||
    check.getUTCMonth() !== month - 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return `"${raw}" is not a valid date or time of day`;
  }
  const millis = frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  return { ms: base + millis - zoneOffsetMs(zone), format: 'iso' };
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

function parseEpoch(value: number): ParsedTime {
  const size = Math.abs(value);
  if (size < 1e11) return { ms: Math.round(value * 1000), format: 'epoch-s' };
  if (size < 1e14) return { ms: Math.round(value), format: 'epoch-ms' };
  if (size < 1e17) return { ms: Math.round(value / 1000), format: 'epoch-us' };
  return { ms: Math.round(value / 1e6), format: 'epoch-ns' };
}
