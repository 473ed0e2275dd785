// Timeframes for stored candles: the fixed-length ones of strategy-dsl (s/m/h/d/w) plus "1M",
// calendar months, because monthly data (BTCUSD.csv) has bars 28 to 31 days apart.
import { isCalendarTimeframe, timeframeMs } from '@candleflow/strategy-dsl';

const DAY_MS = 86_400_000;
/** The calendar-month timeframe. Only whole single months are supported. */
export const MONTHLY = '1M';

export type TimeframeStep = { readonly kind: 'fixed'; readonly ms: number } | { readonly kind: 'month' };

/** Reads a timeframe, or returns null when the text is not one. */
export function timeframeStep(timeframe: string): TimeframeStep | null {
  if (timeframe === MONTHLY) return { kind: 'month' };
  // strategy-dsl gives months a mean length; stored bars need the calendar, and only 1M is handled.
  if (isCalendarTimeframe(timeframe)) return null;
  const ms = timeframeMs(timeframe);
  return ms === null ? null : { kind: 'fixed', ms };
}

export function requireTimeframeStep(timeframe: string): TimeframeStep {
  const step = timeframeStep(timeframe);
  if (step === null) {
    throw new Error(
      `"${timeframe}" is not a timeframe: use a number and a unit such as 1m, 15m, 4h, 1d, 1w, or 1M for calendar months`,
    );
  }
  return step;
}

/** The shortest name for a fixed length: 604800000 → "1w", 5400000 → "90m". */
export function formatTimeframe(ms: number): string {
  const units: [string, number][] = [
    ['w', 7 * DAY_MS],
    ['d', DAY_MS],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  for (const [unit, size] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  throw new Error(`${ms} ms is not a whole number of seconds, so it cannot be a timeframe`);
}

function timeOfDay(time: number): number {
  return ((time % DAY_MS) + DAY_MS) % DAY_MS;
}

function isLastDayOfMonth(date: Date): boolean {
  return new Date(date.getTime() + DAY_MS).getUTCDate() === 1;
}

function monthIndex(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/**
 * How many calendar months lie between two bar times, or null when `b` is not a whole number
 * of months after `a`. Month-end bars (Jan 31 → Feb 29 → Mar 31) count as one month apart.
 */
export function monthsBetween(a: number, b: number): number | null {
  const da = new Date(a);
  const db = new Date(b);
  const months = monthIndex(db) - monthIndex(da);
  if (months <= 0) return null;
  if (timeOfDay(a) !== timeOfDay(b)) return null;
  const sameDay = da.getUTCDate() === db.getUTCDate();
  const bothMonthEnd = isLastDayOfMonth(da) && isLastDayOfMonth(db);
  return sameDay || bothMonthEnd ? months : null;
}

/** The open time `bars` bars after `time`. */
export function stepForward(step: TimeframeStep, time: number, bars: number): number {
  return step.kind === 'month' ? addMonths(time, bars) : time + bars * step.ms;
}

/** The bar time `months` calendar months after `time`, keeping a month-end anchor at month end. */
export function addMonths(time: number, months: number): number {
  const d = new Date(time);
  const monthEnd = isLastDayOfMonth(d);
  const target = monthIndex(d) + months;
  const year = Math.floor(target / 12);
  const month = target - year * 12;
  const daysInTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = monthEnd ? daysInTarget : Math.min(d.getUTCDate(), daysInTarget);
  return Date.UTC(year, month, day) + timeOfDay(time);
}
