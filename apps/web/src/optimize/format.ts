// How the optimize views write numbers, parameter sets and statuses: objectives with two decimals, a dash
// (never 0) for an undefined value, parameters as "fast 7 · slow 25", and "Finished" for SUCCEEDED.
import type { ParamSet, ParamValue } from '@candleflow/optimize';
import type { OptimizationStatus } from './api';

export const STATUS_LABEL: Readonly<Record<OptimizationStatus, string>> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Finished',
  FAILED: 'Failed',
  CANCELED: 'Cancelled',
};

const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1.2345 → "1.23"; null, NaN and infinities → "—". */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (digits === 2) return two.format(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Parameter values as written in the DSL: numbers without float noise, booleans and text as is. */
export function formatParamValue(value: ParamValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'number') return String(Number(value.toPrecision(10)));
  return String(value);
}

/** "fast 7 · slow 25", in the order of `names` (all of the set's names when omitted). */
export function paramsText(params: ParamSet, names: readonly string[] = Object.keys(params)): string {
  return names.map((n) => `${n} ${formatParamValue(params[n])}`).join(' · ');
}
