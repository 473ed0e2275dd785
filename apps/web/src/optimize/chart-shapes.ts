// Report data shaped into SVG geometry: a colour scale for the heat map with its legend, histogram bars
// with percentile marks, the Monte Carlo fan (5–95% band and median), and importance bars. Pure, so the
// components only draw and the shapes are tested without a browser.
import type { Histogram, Percentiles } from '@candleflow/optimize';

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Stops of a perceptually even scale (viridis), low → high. Readable on dark and light backgrounds. */
export const SCALE_STOPS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] as const;

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Colour of t in [0, 1] along the scale, as #rrggbb; t outside is clamped. */
export function scaleColor(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const at = clamped * (SCALE_STOPS.length - 1);
  const i = Math.min(SCALE_STOPS.length - 2, Math.floor(at));
  const f = at - i;
  const a = hexRgb(SCALE_STOPS[i]!);
  const b = hexRgb(SCALE_STOPS[i + 1]!);
  const mix = a.map((c, k) => Math.round(c + (b[k]! - c) * f));
  return `#${mix.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

export interface HeatCell {
  readonly xIndex: number;
  readonly yIndex: number;
  readonly value: number | null;
  /** null for an empty cell (no feasible trial there). */
  readonly color: string | null;
}

export interface HeatGrid {
  readonly cells: readonly HeatCell[];
  /** The colour scale's ends: the lowest and highest value present; null when every cell is empty. */
  readonly min: number | null;
  readonly max: number | null;
}

/** Every cell of a [y][x] matrix with its colour, lowest value darkest and highest brightest. */
export function heatGrid(rows: readonly (readonly (number | null)[])[]): HeatGrid {
  const values = rows.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const min = values.length > 0 ? Math.min(...values) : null;
  const max = values.length > 0 ? Math.max(...values) : null;
  const t = min === null || max === null ? () => 0 : linear(min, max, 0, 1);
  const cells: HeatCell[] = [];
  rows.forEach((row, yIndex) => {
    row.forEach((value, xIndex) => {
      const present = value !== null && Number.isFinite(value);
      cells.push({
        xIndex,
        yIndex,
        value: present ? value : null,
        color: present ? scaleColor(t(value)) : null,
      });
    });
  });
  return { cells, min, max };
}

/** Legend stops for the colour bar: value and colour, evenly from min to max. */
export function legendStops(min: number, max: number, count = 5): { value: number; color: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const t = count === 1 ? 0 : i / (count - 1);
    return { value: min + (max - min) * t, color: scaleColor(t) };
  });
}

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface Box {
  readonly width: number;
  readonly height: number;
}

/** Histogram bins as bars filling the box, the tallest bin reaching the top. */
export function histogramBars(histogram: Histogram, box: Box): Bar[] {
  const { edges, counts } = histogram;
  if (counts.length === 0 || edges.length !== counts.length + 1) return [];
  const x = linear(edges[0]!, edges.at(-1)!, 0, box.width);
  const tallest = Math.max(1, ...counts);
  return counts.map((count, i) => {
    const from = edges[i]!;
    const to = edges[i + 1]!;
    const height = (count / tallest) * box.height;
    return {
      x: x(from),
      y: box.height - height,
      width: Math.max(0, x(to) - x(from)),
      height,
      from,
      to,
      count,
    };
  });
}

/** Where p5, p50 and p95 fall on a histogram's horizontal axis. */
export function percentileMarks(
  histogram: Histogram,
  percentiles: Percentiles,
  box: Box,
): { label: 'p5' | 'p50' | 'p95'; value: number; x: number }[] {
  const first = histogram.edges[0];
  const last = histogram.edges.at(-1);
  if (first === undefined || last === undefined) return [];
  const x = linear(first, last, 0, box.width);
  return (['p5', 'p50', 'p95'] as const).map((label) => ({
    label,
    value: percentiles[label],
    x: Math.min(box.width, Math.max(0, x(percentiles[label]))),
  }));
}

export interface FanShape {
  /** Closed path of the 5–95% band. */
  readonly band: string;
  readonly median: string;
  readonly min: number;
  readonly max: number;
  /** Height of the starting equity's horizontal line (the range always includes it). */
  readonly baseline: number;
}

const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** The Monte Carlo fan: p5–p95 band as one area, the median as a line, over the path's steps. */
export function fanShape(
  bands: { step: readonly number[]; p5: readonly number[]; p50: readonly number[]; p95: readonly number[] },
  box: Box,
  initialEquity: number,
): FanShape | null {
  const n = Math.min(bands.step.length, bands.p5.length, bands.p50.length, bands.p95.length);
  if (n < 2) return null;
  const lows = bands.p5.slice(0, n);
  const highs = bands.p95.slice(0, n);
  const min = Math.min(...lows, initialEquity);
  const max = Math.max(...highs, initialEquity);
  const x = linear(bands.step[0]!, bands.step[n - 1]!, 0, box.width);
  const y = linear(min, max, box.height, 0);
  const point = (i: number, v: number) => `${f(x(bands.step[i]!))},${f(y(v))}`;
  const upper = highs.map((v, i) => point(i, v));
  const lower = lows.map((v, i) => point(i, v)).reverse();
  return {
    band: `M${upper.join('L')}L${lower.join('L')}Z`,
    median: `M${bands.p50
      .slice(0, n)
      .map((v, i) => point(i, v))
      .join('L')}`,
    min,
    max,
    baseline: y(initialEquity),
  };
}

/** Importance shares as bar widths in percent of the widest possible (share 1 = 100%). */
export function importanceBars(
  parameters: readonly { name: string; share: number }[],
  unexplained: number,
): { name: string; share: number; widthPct: number; unexplained: boolean }[] {
  const rows = [...parameters]
    .sort((a, b) => b.share - a.share)
    .map((p) => ({ name: p.name, share: p.share, unexplained: false }));
  rows.push({ name: 'interactions and noise', share: unexplained, unexplained: true });
  return rows.map((r) => ({ ...r, widthPct: Math.max(0, Math.min(100, r.share * 100)) }));
}
