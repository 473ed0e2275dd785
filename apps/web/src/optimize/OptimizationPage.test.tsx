// @vitest-environment happy-dom
// The optimization page with a fake server: live progress with the best so far and Cancel while it runs;
// once the stream says it has finished, the report's sections; Apply on the best saves a version and
// links to it; a failed run says why.
import type { OptimizationReport } from '@candleflow/optimize';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const metrics = {
  sharpe: 1.2,
  sortino: 1.6,
  calmar: 0.9,
  totalReturnPct: 14.5,
  annualReturnPct: 12,
  profitFactor: 1.4,
  maxDrawdownPct: 8.2,
  trades: 31,
  winRatePct: 48,
  finalEquity: 11_450,
};
const best = { index: 3, params: { fast: 7, slow: 25 }, objective: 1.2, metrics };
const distribution = {
  finalEquity: {
    p5: 9000,
    p50: 11000,
    p95: 13000,
    histogram: { edges: [8000, 10000, 12000, 14000], counts: [10, 60, 30] },
  },
  maxDrawdownPct: { p5: 4, p50: 9, p95: 18, histogram: { edges: [0, 10, 20], counts: [70, 30] } },
  probabilityOfRuin: 0.002,
  bands: { step: [0, 1, 2], p5: [10000, 9500, 9000], p50: [10000, 10500, 11000], p95: [10000, 11500, 13000] },
};
const report: OptimizationReport = {
  best,
  trials: { total: 15, feasible: 14, cached: 0, failed: 0 },
  importance: {
    parameters: [
      { name: 'fast', share: 0.2 },
      { name: 'slow', share: 0.6 },
    ],
    unexplained: 0.2,
  },
  walkForward: null,
  monteCarlo: {
    runs: 1000,
    ruinDrawdownPct: 50,
    initialEquity: 10_000,
    // Reordering trades never changes the final equity: a one-value distribution.
    reshuffle: {
      ...distribution,
      finalEquity: {
        p5: 11_000,
        p50: 11_000,
        p95: 11_000,
        histogram: { edges: [11_000, 11_000], counts: [1000] },
      },
    },
    tradeBootstrap: distribution,
    blockBootstrap: null,
    blockBars: 17,
    notes: [],
  },
  overfitting: {
    deflatedSharpe: {
      probability: 0.97,
      sharpe: 0.08,
      expectedMaxSharpe: 0.05,
      trials: 15,
      observations: 480,
      skewness: 0.1,
      kurtosis: 3.2,
    },
    pbo: {
      probability: 0.62,
      partitions: 16,
      combinations: 12870,
      logits: { edges: [0, 1], counts: [1] },
      degradation: [],
    },
    notes: [],
  },
  finalRunId: 'run-final',
  warnings: [],
};

const server = vi.hoisted(() => ({
  status: 'RUNNING' as string,
  events: [] as unknown[],
  applied: [] as unknown[],
  error: null as string | null,
}));

vi.mock('../api/client', async (importOriginal) => {
  const original = await importOriginal<typeof import('../api/client')>();
  const fake = {
    auth: { me: { query: async () => ({ user: { id: 'u1', role: 'trader' } }) } },
    datasets: {
      get: { query: async () => ({ id: 'd1', name: 'Demo', symbol: 'BTC/USDT', timeframe: '1h' }) },
    },
    versions: {},
    optimizations: {
      get: {
        query: async () => {
          const done = server.status === 'SUCCEEDED';
          return {
            id: 'o1',
            status: server.status,
            progress: done ? 1 : 0.4,
            stage: 'searching',
            totalTrials: 15,
            doneTrials: done ? 15 : 6,
            cachedTrials: 0,
            best: done ? best : null,
            report: done ? report : null,
            error: server.error,
            spec: {
              method: 'grid',
              trials: 200,
              ranges: {},
              objective: { metric: 'sharpe' },
              monteCarlo: null,
              seed: 1,
              reuseResults: true,
            },
            objectiveLabel: 'Sharpe ratio',
            strategyId: 's1',
            strategyVersionId: 'v1',
            versionNumber: 2,
            datasetId: 'd1',
            datasetName: 'Demo',
            params: [
              { name: 'fast', type: 'int', default: 12, min: 2, max: 100 },
              { name: 'slow', type: 'int', default: 26, min: 5, max: 300 },
            ],
            queuedAt: '2030-01-01T00:00:00.000Z',
            startedAt: null,
            finishedAt: null,
            finalRunId: done ? 'run-final' : null,
          };
        },
      },
      progress: {
        subscribe: (_input: unknown, handlers: { onData: (u: unknown) => void }) => {
          setTimeout(() => {
            for (const event of server.events) {
              // The stream's last word is the stored status: get answers with the report from then on.
              server.status = (event as { status: string }).status;
              handlers.onData(event);
            }
          }, 0);
          return { unsubscribe: () => undefined };
        },
      },
      cancel: { mutate: async () => ({}) },
      trials: {
        query: async () => ({
          total: 2,
          rows: [
            {
              index: 3,
              phase: 'search',
              fold: null,
              params: best.params,
              objective: 1.2,
              feasible: true,
              note: null,
              metrics,
              cached: false,
            },
            {
              index: 4,
              phase: 'search',
              fold: null,
              params: { fast: 9, slow: 20 },
              objective: -0.3,
              feasible: false,
              note: '3 trades, fewer than the minimum 10',
              metrics: { ...metrics, trades: 3 },
              cached: true,
            },
          ],
        }),
      },
      heatmap: {
        query: async () => ({
          x: { name: 'fast', values: [7, 9] },
          y: { name: 'slow', values: [20, 25] },
          cells: [
            [null, -0.3],
            [1.2, null],
          ],
          stat: 'max',
        }),
      },
      applyTrial: {
        mutate: async (input: unknown) => {
          server.applied.push(input);
          return { strategyId: 's1', versionId: 'v3', number: 3, params: best.params, trialIndex: 3 };
        },
      },
    },
  };
  return { ...original, trpc: fake };
});

// lightweight-charts needs a real canvas; the page only has to place the charts.
vi.mock('../backtest/charts', () => ({ EquityChart: () => <div data-testid="chart-equity" /> }));

const { OptimizationPage } = await import('./OptimizationPage');

function mount() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <OptimizationPage id="o1" />
    </QueryClientProvider>,
  );
  return queryClient;
}

beforeEach(() => {
  server.status = 'RUNNING';
  server.events = [];
  server.applied = [];
  server.error = null;
});
afterEach(cleanup);

describe('OptimizationPage', () => {
  it('follows live progress with the best so far and offers Cancel while it runs', async () => {
    server.events = [
      {
        status: 'RUNNING',
        progress: 0.6,
        doneTrials: 9,
        totalTrials: 15,
        cachedTrials: 2,
        stage: 'searching',
        best,
      },
    ];
    mount();
    await waitFor(() => expect(screen.getByTestId('optimization-percent').textContent).toBe('60%'));
    expect(screen.getByTestId('optimization-status').textContent).toContain(
      '9 of 15 trials (2 from stored results)',
    );
    expect(screen.getByTestId('optimization-best').textContent).toContain('fast 7 · slow 25');
    expect(screen.getByTestId('optimization-cancel')).toBeTruthy();
    expect(screen.queryByTestId('section-results')).toBeNull();
    expect(screen.getByTestId('back-to-strategy').getAttribute('href')).toBe('/strategies/s1');
  });

  it('fetches and shows the report when the progress stream says it has finished', async () => {
    server.events = [
      {
        status: 'RUNNING',
        progress: 0.6,
        doneTrials: 9,
        totalTrials: 15,
        cachedTrials: 2,
        stage: 'searching',
        best,
      },
      {
        status: 'SUCCEEDED',
        progress: 1,
        doneTrials: 15,
        totalTrials: 15,
        cachedTrials: 2,
        stage: 'done',
        best,
      },
    ];
    mount();

    await screen.findByTestId('section-results');
    expect(screen.queryByTestId('optimization-cancel')).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId('results-row')).toHaveLength(2));
    const infeasible = screen.getAllByTestId('results-row')[1]!;
    expect(infeasible.dataset.feasible).toBe('false');
    expect(infeasible.textContent).toContain('3 trades, fewer than the minimum 10');
    expect(await screen.findAllByTestId('heatmap-cell')).toHaveLength(4);
    expect(screen.getByTestId('importance-slow').textContent).toContain('60.0%');
    expect(screen.getByTestId('dsr-verdict').textContent).toBe('likely a real edge');
    expect(screen.getByTestId('pbo-verdict').textContent).toBe('likely overfit');
    expect(screen.getByTestId('mc-reshuffle-ruin').textContent).toBe('0.20%');
    expect(screen.getByTestId('mc-reshuffle-equity-single').textContent).toBe('Every path: 11,000.00 USDT');
    expect(screen.getByTestId('mc-tradeBootstrap-equity').querySelectorAll('rect')).toHaveLength(3);
    expect(screen.getByTestId('final-run').getAttribute('href')).toBe('/runs/run-final');
  });

  it('applies the best trial and links to the new version in the editor, which loads it afresh', async () => {
    server.status = 'SUCCEEDED';
    const queryClient = mount();
    const editorStrategy = ['strategies', 'get', 's1'];
    queryClient.setQueryData(editorStrategy, { id: 's1', latest: { number: 2 } });
    fireEvent.click(await screen.findByTestId('apply-best'));
    const toast = await screen.findByTestId('op-toast');
    expect(toast.textContent).toContain('Saved as version 3.');
    expect(screen.getByTestId('applied-link').getAttribute('href')).toBe('/strategies/s1');
    expect(server.applied).toEqual([{ id: 'o1' }]);
    expect(queryClient.getQueryData(editorStrategy)).toBeUndefined();

    fireEvent.click(screen.getByTestId('apply-trial-4'));
    await waitFor(() => expect(server.applied).toEqual([{ id: 'o1' }, { id: 'o1', trialIndex: 4 }]));
  });

  it('says why a failed optimization failed', async () => {
    server.status = 'FAILED';
    server.error = 'The strategy no longer compiles';
    mount();
    expect((await screen.findByTestId('optimization-failed')).textContent).toBe(
      'The strategy no longer compiles',
    );
    expect(screen.queryByTestId('apply-best')).toBeNull();
  });
});
