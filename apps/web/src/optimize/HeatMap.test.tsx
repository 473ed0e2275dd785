// @vitest-environment happy-dom
// The heat map draws one cell per pair of values, coloured by the objective (lowest darkest, highest
// brightest), hatches cells without a feasible trial, puts the range on its legend, and reads out the
// values under the pointer. Its section asks for the map of the picked parameters, and after a
// walk-forward offers each fold's in-sample trials beside the whole-dataset search.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchHeatmap, HeatmapQuery } from './api';
import { SCALE_STOPS } from './chart-shapes';
import { HeatMap, HeatMapSection } from './HeatMap';

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

describe('HeatMapSection', () => {
  /** A server whose map holds the fold asked for (or -1 for the whole-dataset search) in its one cell. */
  function serve() {
    const asked: HeatmapQuery[] = [];
    const fetch: FetchHeatmap = async (query) => {
      asked.push(query);
      return {
        x: { name: query.x, values: [5] },
        y: { name: query.y, values: [20] },
        cells: [[query.fold ?? -1]],
        stat: 'max',
      };
    };
    return { fetch, asked };
  }

  function mount(folds: number, fetch: FetchHeatmap) {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={queryClient}>
        <HeatMapSection
          id="o1"
          parameters={['fast', 'slow']}
          objectiveLabel="Sharpe ratio"
          folds={folds}
          fetch={fetch}
        />
      </QueryClientProvider>,
    );
  }

  const cellValue = async () => (await screen.findByTestId('heatmap-cell')).dataset.value;

  it("maps the whole-dataset search, then a picked fold's in-sample trials, then the search again", async () => {
    const server = serve();
    mount(3, server.fetch);

    expect(await cellValue()).toBe('-1');
    const picker = screen.getByTestId('heatmap-fold') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual([
      'whole-dataset search',
      'fold 1 in-sample',
      'fold 2 in-sample',
      'fold 3 in-sample',
    ]);
    fireEvent.change(picker, { target: { value: '1' } });
    await waitFor(async () => expect(await cellValue()).toBe('1'));
    fireEvent.change(picker, { target: { value: '' } });
    await waitFor(async () => expect(await cellValue()).toBe('-1'));

    expect(server.asked).toEqual([
      { id: 'o1', x: 'fast', y: 'slow' },
      { id: 'o1', x: 'fast', y: 'slow', fold: 1 },
    ]);
  });

  it('offers no fold picker without walk-forward folds', async () => {
    mount(0, serve().fetch);
    expect(await cellValue()).toBe('-1');
    expect(screen.queryByTestId('heatmap-fold')).toBeNull();
  });
});
