// The charts' data shaping: colours follow the values, histogram bars and percentile marks land where
// their numbers say, the fan's band spans p5..p95, and importance lists the largest share first.
import { describe, expect, it } from 'vitest';
import {
  fanShape,
  heatGrid,
  histogramBars,
  importanceBars,
  legendStops,
  linear,
  percentileMarks,
  SCALE_STOPS,
  scaleColor,
} from './chart-shapes';

describe('colour scale', () => {
  it('runs from the first stop at 0 to the last at 1 and clamps outside', () => {
    expect(scaleColor(0)).toBe(SCALE_STOPS[0]);
    expect(scaleColor(1)).toBe(SCALE_STOPS[SCALE_STOPS.length - 1]);
    expect(scaleColor(-3)).toBe(SCALE_STOPS[0]);
    expect(scaleColor(7)).toBe(SCALE_STOPS[SCALE_STOPS.length - 1]);
    expect(scaleColor(0.5)).toBe(SCALE_STOPS[2]);
  });

  it('legend stops go from min to max with the scale colours', () => {
    const stops = legendStops(-1, 3, 3);
    expect(stops.map((s) => s.value)).toEqual([-1, 1, 3]);
    expect(stops[0]?.color).toBe(SCALE_STOPS[0]);
    expect(stops[2]?.color).toBe(SCALE_STOPS[4]);
  });
});

describe('heatGrid', () => {
  it('colours the lowest value darkest and the highest brightest, leaving empty cells uncoloured', () => {
    const grid = heatGrid([
      [1, null],
      [3, 2],
    ]);
    expect(grid.min).toBe(1);
    expect(grid.max).toBe(3);
    const at = (x: number, y: number) => grid.cells.find((c) => c.xIndex === x && c.yIndex === y);
    expect(at(0, 0)?.color).toBe(SCALE_STOPS[0]);
    expect(at(0, 1)?.color).toBe(SCALE_STOPS[4]);
    expect(at(1, 1)?.color).toBe(SCALE_STOPS[2]);
    expect(at(1, 0)).toMatchObject({ value: null, color: null });
  });

  it('has no scale when every cell is empty', () => {
    expect(heatGrid([[null, null]])).toMatchObject({ min: null, max: null });
  });
});

describe('histogramBars', () => {
  it('places each bin by its edges and scales the tallest to the box', () => {
    const bars = histogramBars({ edges: [0, 10, 20, 40], counts: [2, 4, 1] }, { width: 400, height: 100 });
    expect(bars.map((b) => [b.x, b.width])).toEqual([
      [0, 100],
      [100, 100],
      [200, 200],
    ]);
    expect(bars.map((b) => b.height)).toEqual([50, 100, 25]);
    expect(bars[1]?.y).toBe(0);
  });

  it('draws nothing for a malformed histogram', () => {
    expect(histogramBars({ edges: [0, 1], counts: [1, 2] }, { width: 10, height: 10 })).toEqual([]);
  });
});

describe('percentileMarks', () => {
  it('puts p5, p50 and p95 on the histogram axis, clamped to the box', () => {
    const marks = percentileMarks(
      { edges: [100, 200], counts: [5] },
      { p5: 90, p50: 150, p95: 175 },
      { width: 200, height: 50 },
    );
    expect(marks).toEqual([
      { label: 'p5', value: 90, x: 0 },
      { label: 'p50', value: 150, x: 100 },
      { label: 'p95', value: 175, x: 150 },
    ]);
  });
});

describe('fanShape', () => {
  it('spans p5..p95 and the starting equity, with the median inside', () => {
    const fan = fanShape(
      { step: [0, 1, 2], p5: [100, 90, 80], p50: [100, 110, 120], p95: [100, 130, 160] },
      { width: 200, height: 100 },
      100,
    );
    expect(fan).not.toBeNull();
    expect(fan?.min).toBe(80);
    expect(fan?.max).toBe(160);
    // Starting equity 100 sits at (160 - 100) / (160 - 80) of the height from the top.
    expect(fan?.baseline).toBe(75);
    expect(fan?.band.startsWith('M0,75L100,37.5L200,0L200,100')).toBe(true);
    expect(fan?.median).toBe('M0,75L100,62.5L200,50');
  });

  it('needs two steps', () => {
    expect(fanShape({ step: [0], p5: [1], p50: [1], p95: [1] }, { width: 1, height: 1 }, 1)).toBeNull();
  });
});

describe('importanceBars', () => {
  it('sorts by share, ends with the unexplained rest, and clamps widths to 0..100%', () => {
    const bars = importanceBars(
      [
        { name: 'fast', share: 0.2 },
        { name: 'slow', share: 0.55 },
      ],
      0.25,
    );
    expect(bars.map((b) => [b.name, Math.round(b.widthPct), b.unexplained])).toEqual([
      ['slow', 55, false],
      ['fast', 20, false],
      ['interactions and noise', 25, true],
    ]);
    expect(importanceBars([{ name: 'x', share: 1.2 }], -0.1).map((b) => b.widthPct)).toEqual([100, 0]);
  });
});

describe('linear', () => {
  it('maps a zero-width domain to the middle of the range', () => {
    expect(linear(5, 5, 0, 10)(5)).toBe(5);
    expect(linear(0, 10, 100, 0)(2.5)).toBe(75);
  });
});
