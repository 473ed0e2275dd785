// @vitest-environment happy-dom
// The heat map draws one cell per pair of values, coloured by the objective (lowest darkest, highest
// brightest), hatches cells without a feasible trial, puts the range on its legend, and reads out the
// values under the pointer.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SCALE_STOPS } from './chart-shapes';
import { HeatMap } from './HeatMap';

afterEach(cleanup);

const data = {
  x: { name: 'fast', values: [5, 6, 7] },
  y: { name: 'slow', values: [20, 25] },
  cells: [
    [0.1, 0.5, null],
    [0.9, 0.3, 0.7],
  ],
  stat: 'max' as const,
};

describe('HeatMap', () => {
  it('draws a cell per pair with its value and colour from the data', () => {
    render(<HeatMap data={data} objectiveLabel="Sharpe ratio" />);
    const cells = screen.getAllByTestId('heatmap-cell');
    expect(cells).toHaveLength(6);
    const cell = (x: string, y: string) => cells.find((c) => c.dataset.x === x && c.dataset.y === y)!;
    expect(cell('5', '20').getAttribute('fill')).toBe(SCALE_STOPS[0]);
    expect(cell('5', '25').getAttribute('fill')).toBe(SCALE_STOPS[4]);
    expect(cell('6', '20').getAttribute('fill')).toBe(SCALE_STOPS[2]);
    expect(cell('7', '20').getAttribute('fill')).toBe('url(#op-hatch)');
    expect(cell('7', '20').dataset.value).toBe('');
    // Higher y values are drawn higher up.
    expect(Number(cell('5', '25').getAttribute('y'))).toBeLessThan(Number(cell('5', '20').getAttribute('y')));
  });

  it('puts the lowest and highest objective on the legend', () => {
    render(<HeatMap data={data} objectiveLabel="Sharpe ratio" />);
    expect(screen.getByTestId('heatmap-legend').textContent).toContain('Sharpe ratio');
    expect(screen.getByTestId('heatmap-min').textContent).toBe('0.10');
    expect(screen.getByTestId('heatmap-max').textContent).toBe('0.90');
  });

  it('reads out the parameter values and objective of the cell under the pointer', () => {
    render(<HeatMap data={data} objectiveLabel="Sharpe ratio" />);
    const cells = screen.getAllByTestId('heatmap-cell');
    fireEvent.pointerMove(cells.find((c) => c.dataset.x === '6' && c.dataset.y === '25')!);
    expect(screen.getByTestId('heatmap-hover').textContent).toBe('fast 6, slow 25: 0.30');
    fireEvent.pointerMove(cells.find((c) => c.dataset.x === '7' && c.dataset.y === '20')!);
    expect(screen.getByTestId('heatmap-hover').textContent).toBe('fast 7, slow 20: no feasible trial');
  });
});
