// Run data shaped for lightweight-charts: times in UTC seconds, strictly increasing; the drawdown under
// the running peak; entry/exit markers placed on the candle that holds the fill; return curves that put
// runs with different starting cash on one scale. Pure, so the charts only draw.
import type { NumberedTrade } from './trades';

export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

export interface TimeValue {
  readonly time: number;
  readonly value: number;
}

/** A line point, or a gap (lightweight-charts' whitespace data) where a value is missing. */
export type LinePoint = TimeValue | { readonly time: number };

export interface Marker {
  readonly time: number;
  readonly position: 'aboveBar' | 'belowBar';
  readonly shape: 'arrowUp' | 'arrowDown' | 'circle';
  readonly color: string;
  /** What the marker means ("Buy #3"); shown on hover, never drawn on the chart, where labels pile up. */
  readonly text: string;
  readonly id: string;
}

/** More markers than this in view are thinned, so arrows do not pile into a smear. */
export const MARKER_LIMIT = 60;

export const COLORS = {
  up: '#26a69a',
  down: '#ef5350',
  exit: '#f5a623',
  equity: '#4f8cff',
  compareB: '#f5a623',
  drawdown: '#ef5350',
  lines: ['#ffb74d', '#ba68c8', '#4dd0e1', '#aed581', '#f06292', '#90a4ae'],
} as const;

/** UTC ms → lightweight-charts' UTCTimestamp (whole seconds). */
export function chartTime(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The equity JSON of a result as points; anything that is not a point is dropped. */
export function equityPoints(raw: unknown): EquityPoint[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (p): p is EquityPoint =>
      typeof p === 'object' && p !== null && typeof p.time === 'number' && typeof p.equity === 'number',
  );
}

/** Keeps the last of points that fall in the same second, so times strictly increase as the chart needs. */
function strictlyIncreasing<T extends { time: number }>(points: readonly T[]): T[] {
  const out: T[] = [];
  for (const p of points) {
    const last = out.at(-1);
    if (last !== undefined && p.time <= last.time) {
      if (p.time === last.time) out[out.length - 1] = p;
      continue;
    }
    out.push(p);
  }
  return out;
}

export function equityLine(points: readonly EquityPoint[]): TimeValue[] {
  return strictlyIncreasing(points.map((p) => ({ time: chartTime(p.time), value: p.equity })));
}

/** Percent below the running peak at each point, drawn negative so the curve hangs under zero. */
export function drawdownLine(points: readonly EquityPoint[]): TimeValue[] {
  let peak = Number.NEGATIVE_INFINITY;
  return strictlyIncreasing(
    points.map((p) => {
      peak = Math.max(peak, p.equity);
      const pct = peak > 0 ? ((peak - p.equity) / peak) * 100 : 0;
      return { time: chartTime(p.time), value: pct === 0 ? 0 : -pct };
    }),
  );
}

/** Return since the first point, percent: what two runs with different starting cash share. */
export function returnLine(points: readonly EquityPoint[]): TimeValue[] {
  const first = points[0]?.equity;
  if (first === undefined || first <= 0) return [];
  return strictlyIncreasing(
    points.map((p) => ({ time: chartTime(p.time), value: (p.equity / first - 1) * 100 })),
  );
}

/** Index of the last time ≤ t in increasing `times`, or -1 when t is before them all. */
export function lastAtOrBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Entry and exit markers on the candles (open times in ms) that hold each fill: with merged candles a
 * fill lands on the candle that covers its bar. Longs enter below the bar pointing up, shorts above
 * pointing down; exits say why they happened.
 */
export function tradeMarkers(trades: readonly NumberedTrade[], candleTimes: readonly number[]): Marker[] {
  const markers: Marker[] = [];
  const at = (ms: number) => {
    const i = lastAtOrBefore(candleTimes, ms);
    return i === -1 ? null : chartTime(candleTimes[i]!);
  };
  for (const t of trades) {
    const long = t.direction === 'long';
    const entry = at(t.entryTime);
    if (entry !== null) {
      markers.push({
        id: `entry-${t.index}`,
        time: entry,
        position: long ? 'belowBar' : 'aboveBar',
        shape: long ? 'arrowUp' : 'arrowDown',
        color: long ? COLORS.up : COLORS.down,
        text: `${long ? 'Buy' : 'Short'} #${t.index}`,
      });
    }
    const exit = at(t.exitTime);
    if (exit !== null) {
      markers.push({
        id: `exit-${t.index}`,
        time: exit,
        position: long ? 'aboveBar' : 'belowBar',
        shape: long ? 'arrowDown' : 'arrowUp',
        color: COLORS.exit,
        text: `Exit #${t.index} (${t.exitReason.replaceAll('_', ' ')})`,
      });
    }
  }
  return markers.sort((a, b) => a.time - b.time);
}

/**
 * At most `max` of the markers inside [from, to] (UTC seconds): all of them when they fit; otherwise the
 * range is cut into max/2 equal slices and each slice keeps its first entry and its first exit, so thinned
 * markers stay spread across the view and both kinds remain visible.
 */
export function thinMarkers(
  markers: readonly Marker[],
  range: { readonly from: number; readonly to: number },
  max: number = MARKER_LIMIT,
): Marker[] {
  const inView = markers.filter((m) => m.time >= range.from && m.time <= range.to);
  if (inView.length <= max) return inView;
  const slices = Math.max(1, Math.floor(max / 2));
  // Slices span the markers actually in view, so an open range (no visible range yet) still slices evenly.
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const m of inView) {
    from = Math.min(from, m.time);
    to = Math.max(to, m.time);
  }
  const span = Math.max(1, to - from);
  const kept = new Set<string>();
  const out: Marker[] = [];
  for (const m of inView) {
    const slice = Math.min(slices - 1, Math.floor(((m.time - from) / span) * slices));
    const key = `${slice}:${m.id.startsWith('exit-') ? 'exit' : 'entry'}`;
    if (kept.has(key)) continue;
    kept.add(key);
    out.push(m);
  }
  return out;
}

/** The markers on one candle (UTC seconds), for the hover tooltip. */
export function markersAt(markers: readonly Marker[], time: number): Marker[] {
  return markers.filter((m) => m.time === time);
}

/** An indicator's values on the candles, with gaps where it is still warming up. */
export function indicatorLine(
  candleTimes: readonly number[],
  values: readonly (number | null)[],
): LinePoint[] {
  return candleTimes.map((ms, i) => {
    const v = values[i];
    return v === null || v === undefined ? { time: chartTime(ms) } : { time: chartTime(ms), value: v };
  });
}
