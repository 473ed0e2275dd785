// Equity curves for charts: millions of points shrink to a few thousand while each bucket's lowest and
// highest points stay, so the drawdowns a chart shows are the real ones.
import type { EquityColumns, EquityPoint } from '@candleflow/engine';

/** Works on the result's columns, so a million-bar run never builds a million point objects. */
export function compactEquity(
  curve: readonly EquityPoint[] | EquityColumns,
  maxPoints: number,
): EquityPoint[] {
  if (maxPoints < 4) throw new RangeError(`maxPoints must be at least 4, got ${maxPoints}`);
  const { time, equity } = Array.isArray(curve)
    ? toColumns(curve as readonly EquityPoint[])
    : (curve as EquityColumns);
  const n = equity.length;
  const point = (i: number): EquityPoint => ({ time: time[i]!, equity: equity[i]! });
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => point(i));
  const last = n - 1;
  // Two points per bucket, plus the first and last points kept exactly.
  const bucket = Math.ceil((n - 2) / Math.floor((maxPoints - 2) / 2));
  const out: EquityPoint[] = [point(0)];
  for (let start = 1; start < last; start += bucket) {
    const end = Math.min(start + bucket, last);
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (equity[i]! < equity[low]!) low = i;
      if (equity[i]! > equity[high]!) high = i;
    }
    if (low === high) out.push(point(low));
    else out.push(point(Math.min(low, high)), point(Math.max(low, high)));
  }
  out.push(point(last));
  return out;
}

function toColumns(points: readonly EquityPoint[]): EquityColumns {
  return { time: points.map((p) => p.time), equity: points.map((p) => p.equity) };
}
