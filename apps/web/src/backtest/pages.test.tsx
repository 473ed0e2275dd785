// @vitest-environment happy-dom
// The backtest views in a DOM with a fake server: the button saves unsaved work, runs and opens the
// result when the live progress says it succeeded, or lists compile errors; the result page shows
// metrics with units, warnings, settings and sortable trades whose CSV export follows the sort; the
// compare page highlights which run is better.
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEditorStore, EditorProvider, type EditorStore } from '../editor/store';
import emaCrossJson from '../../../../examples/ema-cross.json';
import { numberTrades, sortTrades, tradesCsv } from './trades';

const server = vi.hoisted(() => ({
  calls: [] as string[],
  submitted: [] as unknown[],
  liveProgress: true,
  progress: [] as Array<{ status: string; progress: number; error: string | null }>,
  result: null as unknown,
  compare: null as unknown,
  role: 'trader' as 'trader' | 'viewer',
}));

vi.mock('../api/client', async (importOriginal) => {
  const original = await importOriginal<typeof import('../api/client')>();
  const fake = {
    auth: { me: { query: async () => ({ user: { id: 'u1', role: server.role } }) } },
    datasets: {
      list: {
        query: async () => [
          {
            id: 'd1',
            name: 'BTC',
            symbol: 'BTC/USDT',
            timeframe: '1h',
            bars: 100,
            firstTime: Date.UTC(2024, 0, 1),
            lastTime: Date.UTC(2024, 0, 5),
          },
        ],
      },
      get: { query: async () => ({ id: 'd1', name: 'BTC', symbol: 'BTC/USDT', timeframe: '1h' }) },
      generate: { mutate: async () => ({}) },
    },
    versions: {
      save: {
        mutate: async () => {
          server.calls.push('save');
          return { version: { id: 'v2', number: 2, contentHash: 'h2' }, warnings: [] };
        },
      },
      get: { query: async () => ({ id: 'v1', strategyId: 's1', number: 3 }) },
    },
    backtests: {
      submit: {
        mutate: async (input: { strategyVersionId: string }) => {
          server.calls.push(`submit:${input.strategyVersionId}`);
          server.submitted.push(input);
          return { id: 'run-9' };
        },
      },
      progress: {
        subscribe: (
          _input: unknown,
          handlers: { onData: (u: unknown) => void; onError: (e: unknown) => void },
        ) => {
          setTimeout(() => {
            if (!server.liveProgress) handlers.onError(new Error('WebSocket closed'));
            else for (const update of server.progress) handlers.onData(update);
          }, 0);
          return { unsubscribe: () => undefined };
        },
      },
      cancel: { mutate: async () => ({}) },
      get: { query: async () => server.progress.shift() },
      result: { query: async () => server.result },
      chart: {
        query: async () => ({
          symbol: 'BTC/USDT',
          timeframe: '1h',
          bars: 0,
          barsPerCandle: 1,
          candles: [],
          indicators: [],
        }),
      },
      list: { query: async () => ({ items: [], nextCursor: null }) },
      compare: { query: async () => server.compare },
    },
  };
  return { ...original, trpc: fake };
});

// Canvas drawing is lightweight-charts' business; the pages only have to place the charts.
vi.mock('./charts', () => ({
  EquityChart: () => <div data-testid="chart-equity" />,
  DrawdownChart: () => <div data-testid="chart-drawdown" />,
  PriceChart: () => <div data-testid="chart-price" />,
  CompareEquityChart: () => <div data-testid="compare-equity" />,
}));

const { BacktestButton } = await import('./BacktestButton');
const { RunPage } = await import('./RunPage');
const { ComparePage } = await import('./ComparePage');

const emaCross: Graph = GraphSchema.parse(emaCrossJson);
const T0 = Date.UTC(2024, 0, 1);
const H = 3_600_000;
const trade = (pnl: number, k: number) => ({
  symbol: 'BTC/USDT',
  direction: 'long',
  quantity: 0.1,
  entryTime: T0 + k * 10 * H,
  exitTime: T0 + (k * 10 + 3) * H,
  entryBar: k * 10,
  exitBar: k * 10 + 3,
  entryPrice: 100,
  exitPrice: 100 + pnl,
  pnl,
  returnPct: pnl,
  fees: 0.01,
  funding: 0,
  exitReason: 'exit',
});

function wrap(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

beforeEach(() => {
  server.calls = [];
  server.submitted = [];
  server.progress = [];
  server.liveProgress = true;
  server.role = 'trader';
  history.replaceState(null, '', '/strategies/s1');
});
afterEach(cleanup);

describe('BacktestButton', () => {
  function mount(
    graph: Graph,
    saved: { id: string; number: number; contentHash: string } | null,
    disabled = false,
  ): EditorStore {
    const store = createEditorStore({
      strategyId: 's1',
      initialGraph: graph,
      savedVersion: saved,
      compileDelayMs: 0,
    });
    render(
      wrap(
        <EditorProvider strategyId="s1" initialGraph={graph} savedVersion={saved} store={store}>
          <BacktestButton strategyId="s1" disabled={disabled} />
        </EditorProvider>,
      ),
    );
    return store;
  }

  it('saves the unsaved strategy, runs it, shows progress and opens the result when it succeeds', async () => {
    server.progress = [
      { status: 'RUNNING', progress: 0.5, error: null },
      { status: 'SUCCEEDED', progress: 1, error: null },
    ];
    const store = mount(emaCross, null);

    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-run'));

    await waitFor(() => expect(location.pathname).toBe('/runs/run-9'));
    expect(server.calls).toEqual(['save', 'submit:v2']);
    expect(store.getState().savedVersion?.number).toBe(2);
    expect(screen.getByTestId('backtest-progress').dataset.status).toBe('SUCCEEDED');
  });

  it('refuses to run a strategy that does not compile and lists the errors by node', async () => {
    const broken = { ...emaCross, edges: emaCross.edges.filter((e) => e.target !== 'cross_up') };
    mount(broken, { id: 'v1', number: 1, contentHash: 'h' });

    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-run'));

    const errors = await screen.findByTestId('backtest-errors');
    expect(errors.textContent).toContain('cross_up');
    expect(server.calls).toEqual([]);
  });

  it('opens the advanced panel on bad settings with the field named', async () => {
    mount(emaCross, { id: 'v1', number: 1, contentHash: 'h' });
    // Advanced waits for the role, like Backtest: viewers may not change settings.
    await waitFor(() =>
      expect((screen.getByTestId('backtest-advanced') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-advanced'));
    const cash = within(await screen.findByTestId('backtest-field-initialCash')).getByRole('textbox');

    fireEvent.change(cash, { target: { value: 'abc' } });
    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-run'));

    expect(await screen.findByText('Starting cash must be a number, got "abc"')).toBeTruthy();
    expect(server.calls).toEqual([]);
  });

  it('submits what the advanced panel was set to', async () => {
    mount(emaCross, { id: 'v1', number: 1, contentHash: 'h' });
    // Advanced waits for the role, like Backtest: viewers may not change settings.
    await waitFor(() =>
      expect((screen.getByTestId('backtest-advanced') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-advanced'));
    const field = (name: string) =>
      screen.getByTestId(`backtest-field-${name}`).querySelector('input, select') as HTMLInputElement;

    fireEvent.change(field('takerFeePct'), { target: { value: '0.1' } });
    fireEvent.change(field('market'), { target: { value: 'spot' } });
    fireEvent.change(field('slippageKind'), { target: { value: 'fixed' } });
    fireEvent.change(field('slippageValue'), { target: { value: '2' } });
    fireEvent.change(field('fill'), { target: { value: 'close' } });
    fireEvent.change(field('param.fast'), { target: { value: '9' } });
    fireEvent.change(field('from'), { target: { value: '2024-01-02' } });
    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-run'));

    await waitFor(() => expect(server.submitted).toHaveLength(1));
    expect(server.submitted[0]).toMatchObject({
      datasetId: 'd1',
      settings: {
        takerFee: 0.001,
        market: 'spot',
        leverage: 1,
        slippage: { kind: 'fixed', amount: 2 },
        fill: 'close',
        paramValues: { fast: 9 },
        from: Date.UTC(2024, 0, 2),
      },
    });
    expect(field('leverage').disabled).toBe(true);
  });

  it('falls back to polling the run when live progress is unavailable', async () => {
    server.liveProgress = false;
    server.progress = [
      { status: 'RUNNING', progress: 0.3, error: null },
      { status: 'CANCELED', progress: 0.3, error: null },
    ];
    mount(emaCross, { id: 'v1', number: 1, contentHash: 'h' });

    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-run'));

    await waitFor(() => expect(screen.getByTestId('backtest-progress').dataset.status).toBe('RUNNING'));
    expect(screen.getByTestId('backtest-cancel')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('backtest-progress').textContent).toContain('Cancelled'), {
      timeout: 3000,
    });
  });

  it('shows why a run failed', async () => {
    server.progress = [{ status: 'FAILED', progress: 0.2, error: 'the strategy does not compile' }];
    mount(emaCross, { id: 'v1', number: 1, contentHash: 'h' });

    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('backtest-run'));

    await waitFor(() =>
      expect(screen.getByTestId('backtest-progress').textContent).toContain(
        'Failed: the strategy does not compile',
      ),
    );
    expect(location.pathname).toBe('/strategies/s1');
  });

  it('lets a trader open the advanced settings', async () => {
    mount(emaCross, null);
    const advanced = screen.getByTestId('backtest-advanced') as HTMLButtonElement;
    await waitFor(() =>
      expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(false),
    );
    expect(advanced.disabled).toBe(false);
    fireEvent.click(advanced);
    expect(advanced.getAttribute('aria-expanded')).toBe('true');
  });

  it('disables Backtest and Advanced for a viewer', async () => {
    server.role = 'viewer';
    mount(emaCross, null);
    // Let auth.me answer, so the buttons are disabled by the role and not only because it is still loading.
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    expect((screen.getByTestId('backtest-advanced') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('backtest-run') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('backtest-advanced').title).toMatch(/Viewers/);
  });

  it('disables Advanced when the editor is read-only', () => {
    mount(emaCross, null, true);
    expect((screen.getByTestId('backtest-advanced') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('RunPage', () => {
  const trades = [trade(5, 0), trade(-2, 1), trade(9, 2)];
  beforeEach(() => {
    server.result = {
      id: 'run-9',
      status: 'SUCCEEDED',
      strategyVersionId: 'v1',
      datasetId: 'd1',
      engineVersion: '1.0.0',
      finishedAt: new Date(T0).toISOString(),
      servedFromCache: false,
      resultOfRunId: null,
      settings: {
        paramValues: { fast: 10 },
        backtest: { account: { quoteCurrency: 'USDT', initialCash: 10000 }, execution: { takerFee: 0 } },
      },
      metrics: {
        totalReturnPct: 12.3456,
        netProfit: 1234.5,
        profitFactor: null,
        tradeCount: 3,
        notes: ['the profit factor is undefined'],
      },
      equity: [
        { time: T0, equity: 10000 },
        { time: T0 + H, equity: 11234.5 },
      ],
      trades,
      warnings: ['fees are zero: real exchanges charge 0.02–0.1% per fill, so returns are overstated'],
      provenance: {
        engineVersion: '1.0.0',
        nodes: [{ type: 'ema', version: 1 }],
        dataHashes: { 'BTC/USDT': 'abc' },
        paramValues: { fast: 10 },
        seed: 0,
      },
      bars: 100,
      cpuMs: 12,
    };
  });

  it('shows metrics with their units, the warnings, the settings used and the provenance', async () => {
    render(wrap(<RunPage runId="run-9" />));

    expect((await screen.findByTestId('metric-totalReturnPct')).textContent).toContain('12.35%');
    expect(screen.getByTestId('metric-netProfit').textContent).toContain('1,234.50 USDT');
    expect(screen.getByTestId('metric-profitFactor').textContent).toContain('—');
    expect(screen.getByTestId('metric-notes').textContent).toContain('profit factor is undefined');
    expect(screen.getByTestId('run-warnings').textContent).toContain('fees are zero');
    expect(screen.getByTestId('run-settings').textContent).toContain('backtest.execution.takerFee');
    expect(screen.getByTestId('run-provenance').textContent).toContain('ema@1');
    expect(await screen.findByTestId('chart-equity')).toBeTruthy();
    expect(await screen.findByTestId('chart-drawdown')).toBeTruthy();
    expect(await screen.findByTestId('chart-price')).toBeTruthy();
  });

  it('sorts trades by a clicked column and exports them in the order shown', async () => {
    let exported = '';
    const created = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      void (blob as Blob).text().then((t) => {
        exported = t;
      });
      return 'blob:x';
    });
    render(wrap(<RunPage runId="run-9" />));
    const table = await screen.findByTestId('trades-table');

    fireEvent.click(within(table).getByTestId('trades-sort-pnl'));
    const order = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.getAttribute('data-testid'));
    fireEvent.click(screen.getByTestId('trades-csv'));

    expect(order).toEqual(['trade-3', 'trade-1', 'trade-2']);
    await waitFor(() => expect(exported).not.toBe(''));
    expect(exported).toBe(tradesCsv(sortTrades(numberTrades(trades), { column: 'pnl', direction: 'desc' })));
    created.mockRestore();
  });

  it('says what went wrong when the run has no result', async () => {
    server.result = Promise.reject(
      Object.assign(new Error('Backtest run-9 is running'), {
        data: { code: 'CONFLICT', message: 'Backtest run-9 is running' },
      }),
    );
    (server.result as Promise<unknown>).catch(() => undefined);
    render(wrap(<RunPage runId="run-9" />));

    expect((await screen.findByTestId('run-error')).textContent).toContain(
      'Backtest run-9 is running (CONFLICT)',
    );
  });
});

describe('ComparePage', () => {
  it('highlights the better run per metric and lists the settings that differ', async () => {
    server.result = { settings: {}, equity: [] };
    server.compare = {
      a: { id: 'run-a', strategyVersionId: 'v1', datasetId: 'd1' },
      b: { id: 'run-b', strategyVersionId: 'v1', datasetId: 'd1' },
      sameStrategyVersion: true,
      sameDataset: true,
      metrics: [
        { name: 'annualisation', a: 'crypto', b: 'crypto', difference: null },
        { name: 'maxDrawdownPct', a: 10, b: 15, difference: 5 },
        { name: 'totalReturnPct', a: 5, b: 8, difference: 3 },
      ],
      settings: [{ path: 'backtest.execution.takerFee', a: 0.0005, b: 0.001 }],
    };
    render(wrap(<ComparePage a="run-a" b="run-b" />));

    const ret = await screen.findByTestId('compare-metric-totalReturnPct');
    expect(ret.dataset.verdict).toBe('1');
    expect(ret.textContent).toContain('+3.00 pp');
    expect(screen.getByTestId('compare-metric-maxDrawdownPct').dataset.verdict).toBe('-1');
    expect(screen.queryByTestId('compare-metric-annualisation')).toBeNull();
    expect(screen.getByTestId('compare-settings').textContent).toContain('0.05%');
    expect(screen.getByTestId('compare-settings').textContent).toContain('0.1%');
    expect(await screen.findByTestId('compare-equity')).toBeTruthy();
  });
});
