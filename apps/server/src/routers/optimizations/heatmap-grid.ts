// The heat map of two searched parameters: one cell per pair of values, holding the best (or mean)
// objective of the feasible trials with those two values, whatever the other parameters were.
// Lattices of up to MAX_AXIS_VALUES values get a cell per value; continuous or finer ranges are
// binned into AXIS_BINS equal-width bins (the axis then lists the bins' centres).
import type { Dimension, ParamSet, ParamValue } from '@candleflow/optimize';

export const MAX_AXIS_VALUES = 60;
export const AXIS_BINS = 20;

export type HeatmapStat = 'max' | 'mean';

export interface HeatmapAxis {
  readonly name: string;
  readonly values: readonly ParamValue[];
}

export interface Heatmap {
  readonly x: HeatmapAxis;
  readonly y: HeatmapAxis;
  readonly stat: HeatmapStat;
  /** cells[yIndex][xIndex]; null where no feasible trial had that pair. */
  readonly cells: (number | null)[][];
}

interface Axis extends HeatmapAxis {
  indexOf(value: ParamValue | undefined): number | undefined;
}

function nearestIndex(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid;
  }
  return Math.abs(sorted[hi]! - value) < Math.abs(sorted[lo]! - value) ? hi : lo;
}

function axisFor(dimension: Dimension): Axis {
  const { name, values } = dimension;
  if (dimension.kind === 'categorical' || (values !== null && values.length <= MAX_AXIS_VALUES)) {
    const lattice = values ?? [];
    if (dimension.kind === 'categorical') {
      const index = new Map(lattice.map((v, i) => [JSON.stringify(v), i]));
      return {
        name,
        values: lattice,
        indexOf: (v) => (v === undefined ? undefined : index.get(JSON.stringify(v))),
      };
    }
    const sorted = (lattice as number[]).slice().sort((a, b) => a - b);
    return {
      name,
      values: sorted,
      indexOf: (v) => (typeof v === 'number' && sorted.length > 0 ? nearestIndex(sorted, v) : undefined),
    };
  }
  const min = dimension.min ?? 0;
  const max = dimension.max ?? min;
  const width = (max - min) / AXIS_BINS;
  const centres = Array.from({ length: AXIS_BINS }, (_, i) => min + width * (i + 0.5));
  return {
    name,
    values: centres,
    indexOf: (v) => {
      if (typeof v !== 'number') return undefined;
      if (width === 0) return 0;
      return Math.min(AXIS_BINS - 1, Math.max(0, Math.floor((v - min) / width)));
    },
  };
}

/** Cells over the given trials (pass only feasible ones with an objective). */
export function heatmapGrid(
  x: Dimension,
  y: Dimension,
  trials: readonly { readonly params: ParamSet; readonly objective: number }[],
  stat: HeatmapStat,
): Heatmap {
  const xAxis = axisFor(x);
  const yAxis = axisFor(y);
  const sums = yAxis.values.map(() => xAxis.values.map(() => ({ best: -Infinity, sum: 0, count: 0 })));
  for (const trial of trials) {
    const xi = xAxis.indexOf(trial.params[x.name]);
    const yi = yAxis.indexOf(trial.params[y.name]);
    if (xi === undefined || yi === undefined) continue;
    const cell = sums[yi]![xi]!;
    cell.best = Math.max(cell.best, trial.objective);
    cell.sum += trial.objective;
    cell.count += 1;
  }
  return {
    x: { name: xAxis.name, values: xAxis.values },
    y: { name: yAxis.name, values: yAxis.values },
    stat,
    cells: sums.map((row) =>
      row.map((cell) => (cell.count === 0 ? null : stat === 'max' ? cell.best : cell.sum / cell.count)),
    ),
  };
}
