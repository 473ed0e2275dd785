import type { Dimension } from '@candleflow/optimize';
import { describe, expect, it } from 'vitest';
import { AXIS_BINS, heatmapGrid } from './heatmap-grid';

const fast: Dimension = { name: 'fast', kind: 'int', min: 5, max: 15, step: 5, size: 3, values: [5, 10, 15] };
const slow: Dimension = { name: 'slow', kind: 'int', min: 20, max: 40, step: 20, size: 2, values: [20, 40] };

describe('heatmapGrid', () => {
  it('puts the best objective of each value pair in its cell, whatever the other parameters were', () => {
    const trials = [
      { params: { fast: 5, slow: 20, atrMult: 1 }, objective: 0.5 },
      { params: { fast: 5, slow: 20, atrMult: 2 }, objective: 1.5 },
      { params: { fast: 15, slow: 40, atrMult: 1 }, objective: -0.25 },
      { params: { fast: 10, slow: 40, atrMult: 1 }, objective: 2 },
    ];

    const max = heatmapGrid(fast, slow, trials, 'max');
    const mean = heatmapGrid(fast, slow, trials, 'mean');

    expect(max.x).toEqual({ name: 'fast', values: [5, 10, 15] });
    expect(max.y).toEqual({ name: 'slow', values: [20, 40] });
    expect(max.cells).toEqual([
      [1.5, null, null],
      [null, 2, -0.25],
    ]);
    expect(mean.cells[0]![0]).toBe(1);
  });

  it('keeps listed categories in order and ignores trials without both parameters', () => {
    const mode: Dimension = { name: 'mode', kind: 'categorical', size: 2, values: ['long', 'short'] };
    const grid = heatmapGrid(
      mode,
      slow,
      [
        { params: { mode: 'short', slow: 40 }, objective: 3 },
        { params: { slow: 40 }, objective: 9 },
      ],
      'max',
    );
    expect(grid.cells).toEqual([
      [null, null],
      [null, 3],
    ]);
  });

  it('bins a continuous range into equal-width bins labelled by their centres', () => {
    const atr: Dimension = {
      name: 'atrMult',
      kind: 'number',
      min: 0,
      max: 10,
      step: null,
      size: null,
      values: null,
    };
    const grid = heatmapGrid(
      atr,
      slow,
      [
        { params: { atrMult: 0, slow: 20 }, objective: 1 },
        { params: { atrMult: 0.49, slow: 20 }, objective: 4 },
        { params: { atrMult: 10, slow: 40 }, objective: 2 },
      ],
      'max',
    );
    expect(grid.x.values).toHaveLength(AXIS_BINS);
    expect(grid.x.values[0]).toBeCloseTo(0.25);
    expect(grid.cells[0]![0]).toBe(4);
    expect(grid.cells[1]![AXIS_BINS - 1]).toBe(2);
  });
});
