// Timeframes as the exchanges name them ('1m', '4h', '1d'), converted to milliseconds once.

/** `M` is a calendar month; its length here is the mean Gregorian month, for spacing and annualisation. */
export const MONTH_MS = 2_629_746_000;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: MONTH_MS } as const;
const TIMEFRAME = /^([1-9][0-9]*)([smhdwM])$/;

export type Timeframe = string;

/** Returns the length of a timeframe in milliseconds, or null when the text is not a timeframe. */
export function timeframeMs(timeframe: Timeframe): number | null {
  const match = TIMEFRAME.exec(timeframe);
  if (!match) return null;
  const unit = match[2] as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

/** Like timeframeMs, but throws a readable error for text that is not a timeframe. */
export function requireTimeframeMs(timeframe: Timeframe): number {
  const ms = timeframeMs(timeframe);
  if (ms === null) {
    throw new Error(
      `"${timeframe}" is not a timeframe: use a number and a unit such as 1m, 15m, 4h, 1d or 1w`,
    );
  }
  return ms;
}

/** True for calendar-month timeframes ('1M', '3M'), whose bars are not all the same length. */
export function isCalendarTimeframe(timeframe: Timeframe): boolean {
  return timeframe.endsWith('M');
}

/** The open time of the `timeframe` bucket that contains `time` (UTC, weeks start on Monday). */
export function bucketStart(time: number, timeframeMillis: number): number {
  // 1970-01-01 was a Thursday; shifting by 4 days makes weekly buckets start on Monday.
  const offset = timeframeMillis === UNIT_MS.w ? 4 * UNIT_MS.d : 0;
  return Math.floor((time - offset) / timeframeMillis) * timeframeMillis + offset;
}
