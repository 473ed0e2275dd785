// Parsing of command-line values that traders type: rates, dates, parameter overrides.
import { UsageError } from './strategy-file';

/** "0.001", "0.1%", "5bps" → 0.001. */
export function parseRate(text: string, option: string): number {
  const trimmed = text.trim().toLowerCase();
  let value: number;
  if (trimmed.endsWith('%')) value = Number(trimmed.slice(0, -1)) / 100;
  else if (trimmed.endsWith('bps')) value = Number(trimmed.slice(0, -3)) / 10_000;
  else value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(
      `${option} ${text}: give a fraction (0.001), a percent (0.1%) or basis points (10bps), at least 0 and below 100%`,
    );
  }
  return value;
}

/** ISO dates or date-times (naive ones are UTC), or epoch milliseconds. */
export function parseDate(text: string, option: string): number {
  const trimmed = text.trim();
  let value: number;
  if (/^\d+$/.test(trimmed)) value = Number(trimmed);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) value = Date.parse(`${trimmed}T00:00:00Z`);
  else if (/(Z|[+-]\d\d:?\d\d)$/i.test(trimmed)) value = Date.parse(trimmed);
  else value = Date.parse(`${trimmed.replace(' ', 'T')}Z`);
  if (!Number.isFinite(value))
    throw new UsageError(`${option} ${text}: not a date; use 2024-01-31 or 2024-01-31T12:00:00Z`);
  return value;
}

export function parsePositive(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${option} ${text}: give a positive number`);
  return value;
}

/** `--param fast=10 --param useFilter=false` → { fast: 10, useFilter: false }. Strings stay strings. */
export function parseParamOverrides(pairs: readonly string[]): Record<string, number | string | boolean> {
  const values: Record<string, number | string | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${pair}: write it as name=value, e.g. --param fast=10`);
    const name = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (name in values) throw new UsageError(`--param ${name} is given twice`);
    values[name] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : raw;
  }
  return values;
}
