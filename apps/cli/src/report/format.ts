// Number formatting shared by the table and the HTML report: units always shown, nulls as "—".

export function fmt(value: number | null | undefined, digits = 2, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit}`;
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const days = ms / 86_400_000;
  if (days >= 1) return `${fmt(days, 1)} days`;
  return `${fmt(ms / 3_600_000, 1)} hours`;
}

export function fmtTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/:00\.000Z$/, '')
    .replace(/\.000Z$/, '');
}
