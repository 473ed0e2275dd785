// @vitest-environment happy-dom
// What the charts ask lightweight-charts to draw (a recording fake stands in for the canvas library):
// candles with indicator lines on the price pane and each oscillator in its own pane, fill markers,
// the equity and drawdown areas, and the two compared return curves; and that charts are removed.
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chartTime } from './chart-data';
import { numberTrades } from './trades';

interface FakeSeries {
  type: string;
  options: Record<string, unknown>;
  pane: number;
  data: unknown[];
}
const drawn = vi.hoisted(() => ({
  charts: [] as FakeChart[],
}));

interface FakeChart {
  series: FakeSeries[];
  removed: boolean;
  markers: Array<Record<string, unknown>>;
  stretch: number[];
  options: Record<string, unknown>;
  fits: number;
  onSize: Array<(width: number, height: number) => void>;
  onRange: Array<(range: { from: number; to: number } | null) => void>;
  onCrosshair: Array<(param: { time?: number; point?: { x: number; y: number } }) => void>;
}

vi.mock('lightweight-charts', () => {
  const kind = (type: string) => ({ type });
  return {
    AreaSeries: kind('Area'),
    CandlestickSeries: kind('Candlestick'),
    LineSeries: kind('Line'),
    ColorType: { Solid: 'solid' },
    createChart: (_el: unknown, options: Record<string, unknown>) => {
      const chart: FakeChart = {
        series: [],
        removed: false,
        markers: [],
        stretch: [],
        options,
        fits: 0,
        onSize: [],
        onRange: [],
        onCrosshair: [],
      };
      drawn.charts.push(chart);
      return {
        addSeries(definition: { type: string }, options: Record<string, unknown>, pane = 0) {
          const s: FakeSeries = { type: definition.type, options, pane, data: [] };
          chart.series.push(s);
          return { setData: (data: unknown[]) => (s.data = data), __fake: s };
        },
        panes: () => {
          const count = Math.max(0, ...chart.series.map((s) => s.pane)) + 1;
          return Array.from({ length: count }, (_, i) => ({
            setStretchFactor: (f: number) => (chart.stretch[i] = f),
          }));
        },
        timeScale: () => ({
          fitContent: () => {
            chart.fits += 1;
          },
          subscribeSizeChange: (h: FakeChart['onSize'][number]) => chart.onSize.push(h),
          unsubscribeSizeChange: (h: FakeChart['onSize'][number]) => {
            chart.onSize = chart.onSize.filter((x) => x !== h);
          },
          subscribeVisibleTimeRangeChange: (h: FakeChart['onRange'][number]) => chart.onRange.push(h),
        }),
        subscribeCrosshairMove: (h: FakeChart['onCrosshair'][number]) => chart.onCrosshair.push(h),
        remove: () => (chart.removed = true),
      };
    },
    createSeriesMarkers: (series: { __fake: FakeSeries }, markers: Array<Record<string, unknown>>) => {
      const chart = drawn.charts.at(-1)!;
      chart.markers = markers;
      return {
        series,
        setMarkers: (next: Array<Record<string, unknown>>) => {
          chart.markers = next;
        },
      };
    },
  };
});

const { CompareEquityChart, DrawdownChart, EquityChart, PriceChart } = await import('./charts');

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const candle = (k: number) => ({ time: T0 + k * H, open: 100, high: 110, low: 90, close: 105, volume: 1 });

beforeEach(() => {
  drawn.charts = [];
});
afterEach(cleanup);

describe('PriceChart', () => {
  const data = {
    symbol: 'BTC/USDT',
    timeframe: '1h',
    bars: 6,
    barsPerCandle: 2,
    candles: [candle(0), candle(2), candle(4)],
    indicators: [
      {
        nodeId: 'fast',
        port: 'value',
        type: 'ema',
        label: 'EMA (fast)',
        pane: 'price' as const,
        values: [null, 101, 102],
      },
      {
        nodeId: 'rsi',
        port: 'value',
        type: 'rsi',
        label: 'RSI (rsi)',
        pane: 'own' as const,
        values: [null, 40, 60],
      },
      {
        nodeId: 'macd',
        port: 'macd',
        type: 'macd',
        label: 'MACD (macd) macd',
        pane: 'own' as const,
        values: [1, 2, 3],
      },
      {
        nodeId: 'macd',
        port: 'signal',
        type: 'macd',
        label: 'MACD (macd) signal',
        pane: 'own' as const,
        values: [1, 1, 1],
      },
    ],
  };
  const trades = numberTrades([
    {
      symbol: 'BTC/USDT',
      direction: 'long',
      quantity: 1,
      entryTime: T0 + 3 * H,
      exitTime: T0 + 5 * H,
      entryBar: 3,
      exitBar: 5,
      entryPrice: 100,
      exitPrice: 104,
      pnl: 4,
      returnPct: 4,
      fees: 0,
      funding: 0,
      exitReason: 'exit',
    },
  ]);

  it('draws candles, price-scale lines on the price pane and one pane per oscillator node', () => {
    const view = render(<PriceChart data={data} trades={trades} />);

    const [chart] = drawn.charts;
    expect(chart!.series.map((s) => [s.type, s.pane, s.options.title ?? null])).toEqual([
      ['Candlestick', 0, null],
      ['Line', 0, 'EMA (fast)'],
      ['Line', 1, 'RSI (rsi)'],
      ['Line', 2, 'MACD (macd) macd'],
      ['Line', 2, 'MACD (macd) signal'],
    ]);
    expect(chart!.series[0]!.data).toHaveLength(3);
    expect(chart!.series[1]!.data).toEqual([
      { time: chartTime(T0) },
      { time: chartTime(T0 + 2 * H), value: 101 },
      { time: chartTime(T0 + 4 * H), value: 102 },
    ]);
    expect(chart!.stretch.slice(1)).toEqual([0.35, 0.35]);
    expect(view.getByText(/Each candle merges 2 bars of 1h/)).toBeTruthy();
    expect(view.getByTestId('chart-price')).toBeTruthy();
  });

  it('marks the entry and exit on the merged candles holding them, as shapes without text', () => {
    render(<PriceChart data={data} trades={trades} />);

    expect(drawn.charts[0]!.markers).toEqual([
      expect.objectContaining({ time: chartTime(T0 + 2 * H), shape: 'arrowUp', position: 'belowBar' }),
      expect.objectContaining({ time: chartTime(T0 + 4 * H), shape: 'arrowDown', position: 'aboveBar' }),
    ]);
    for (const m of drawn.charts[0]!.markers) expect(m.text).toBeUndefined();
  });

  it('names the trades on a hovered candle in a tooltip', () => {
    const view = render(<PriceChart data={data} trades={trades} />);
    const [chart] = drawn.charts;

    act(() => chart!.onCrosshair[0]!({ time: chartTime(T0 + 4 * H), point: { x: 40, y: 30 } }));
    expect(view.getByTestId('marker-tooltip').textContent).toBe('Exit #1 (exit)');
    act(() => chart!.onCrosshair[0]!({ time: chartTime(T0), point: { x: 10, y: 30 } }));
    expect(view.queryByTestId('marker-tooltip')).toBeNull();
  });

  it('thins the markers to at most 60 when more are in view, and shows all again when zoomed in', () => {
    const many = Array.from({ length: 100 }, (_, k) => candle(k));
    const busy = numberTrades(
      Array.from({ length: 50 }, (_, k) => ({
        ...trades[0]!,
        entryTime: T0 + 2 * k * H,
        exitTime: T0 + (2 * k + 1) * H,
        entryBar: 2 * k,
        exitBar: 2 * k + 1,
      })),
    );
    render(<PriceChart data={{ ...data, candles: many, indicators: [], barsPerCandle: 1 }} trades={busy} />);
    const [chart] = drawn.charts;
    const first = chartTime(T0);
    const last = chartTime(T0 + 99 * H);

    act(() => chart!.onRange[0]!({ from: first, to: last }));
    expect(chart!.markers.length).toBeGreaterThan(20);
    expect(chart!.markers.length).toBeLessThanOrEqual(60);
    act(() => chart!.onRange[0]!({ from: first, to: chartTime(T0 + 19 * H) }));
    expect(chart!.markers).toHaveLength(20);
  });

  it('opens on the whole run: fits again once the chart gets its width, and lets bars get thin enough', () => {
    render(<PriceChart data={data} trades={trades} />);
    const [chart] = drawn.charts;
    const fitsAtDraw = chart!.fits;

    act(() => {
      for (const h of chart!.onSize) h(800, 400);
    });
    expect(chart!.fits).toBe(fitsAtDraw + 1);
    act(() => {
      for (const h of chart!.onSize) h(900, 400);
    });
    expect(chart!.fits).toBe(fitsAtDraw + 1);
    expect((chart!.options.timeScale as { minBarSpacing: number }).minBarSpacing).toBeLessThan(0.5);
  });

  it('removes the chart when the component goes away', () => {
    const view = render(<PriceChart data={data} trades={trades} />);

    view.unmount();

    expect(drawn.charts[0]!.removed).toBe(true);
  });
});

describe('equity, drawdown and compare charts', () => {
  const equity = [
    { time: T0, equity: 100 },
    { time: T0 + H, equity: 80 },
    { time: T0 + 2 * H, equity: 120 },
  ];

  it('draws the equity in the account currency and the drawdown below zero', () => {
    const view = render(
      <>
        <EquityChart points={equity} quote="USDT" />
        <DrawdownChart points={equity} />
      </>,
    );

    const [eq, dd] = drawn.charts;
    expect(eq!.series[0]!.options.title).toBe('Equity (USDT)');
    expect((eq!.series[0]!.data as Array<{ value: number }>).map((p) => p.value)).toEqual([100, 80, 120]);
    expect((dd!.series[0]!.data as Array<{ value: number }>).map((p) => p.value)).toEqual([0, -20, 0]);
    expect(view.getByTestId('chart-equity')).toBeTruthy();
    expect(view.getByTestId('chart-drawdown')).toBeTruthy();
  });

  it('puts both runs on one percent scale', () => {
    render(
      <CompareEquityChart
        a={equity}
        b={equity.map((p) => ({ ...p, equity: p.equity * 3 }))}
        labels={['Run A', 'Run B']}
      />,
    );

    const [chart] = drawn.charts;
    expect(chart!.series.map((s) => s.options.title)).toEqual(['Run A', 'Run B']);
    expect(chart!.series[0]!.data).toEqual(chart!.series[1]!.data);
  });

  it('redraws in the new colours when the theme changes', async () => {
    render(<EquityChart points={equity} quote="USDT" />);

    act(() => {
      document.documentElement.dataset.theme = 'light';
    });

    await waitFor(() => expect(drawn.charts).toHaveLength(2));
    expect(drawn.charts[0]!.removed).toBe(true);
    delete document.documentElement.dataset.theme;
  });
});
