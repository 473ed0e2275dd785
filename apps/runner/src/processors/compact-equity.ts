// Equity curves for charts: millions of points shrink to a few thousand while each bucket's lowest and
// highest points stay, so the drawdowns a chart shows are the real ones.
import type { EquityPoint } from '@candleflow/engine';

export function compactEquity(points: readonly EquityPoint[], maxPoints: number): EquityPoint[] {
  if (maxPoints < 4) throw new RangeError(`maxPoints must be at least 4, got ${maxPoints}`);
  if (points.length <= maxPoints) return [...points];
  const last = points.length - 1;
  // Two points per bucket, plus the first and last points kept exactly.
  const bucket = Math.ceil((points.length - 2) / Math.floor((maxPoints - 2) / 2));
  const out: EquityPoint[] = [points[0]!];
  for (let start = 1; start < last; start += bucket) {
    const end = Math.min(start + bucket, last);
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i]!.equity < points[low]!.equity) low = i;
      if (points[i]!.equity > points[high]!.equity) high = i;
    }
    if (low === high) out.push(points[low]!);
    else out.push(points[Math.min(low, high)]!, points[Math.max(low, high)]!);
  }
  out.push(points[last]!);
  return out;
}
