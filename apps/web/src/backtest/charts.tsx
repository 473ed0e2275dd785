// The result and compare pages' charts, drawn with lightweight-charts v5 (addSeries with series
// definitions, panes for oscillators, createSeriesMarkers for fills). Loaded with React.lazy only.
import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  LineSeries,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import {
  COLORS,
  chartTime,
  drawdownLine,
  type EquityPoint,
  equityLine,
  indicatorLine,
  type Marker,
  markersAt,
  returnLine,
  thinMarkers,
  tradeMarkers,
} from './chart-data';
import type { RunChart } from './queries';
import type { NumberedTrade } from './trades';

type Theme = 'dark' | 'light';

function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

/** The page theme, following changes to <html data-theme>. */
function useTheme(): Theme {
  const [theme, setTheme] = useState<Theme>(currentTheme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(currentTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

function themeOptions(theme: Theme) {
  const dark = theme === 'dark';
  return {
    layout: {
      background: { type: ColorType.Solid, color: 'transparent' },
      textColor: dark ? '#c9ced6' : '#374151',
      attributionLogo: false,
    },
    grid: {
      vertLines: { color: dark ? '#222733' : '#eceff3' },
      horzLines: { color: dark ? '#222733' : '#eceff3' },
    },
    rightPriceScale: { borderColor: dark ? '#2d3340' : '#d1d5db' },
    // The default minimum bar spacing (0.5 px) makes fitContent show only the last part of a long run.
    timeScale: { borderColor: dark ? '#2d3340' : '#d1d5db', timeVisible: true, minBarSpacing: 0.001 },
  };
}

/** Creates a chart in the container, lets `draw` add series, and removes it on unmount or redraw. */
function useChart(draw: (chart: IChartApi) => void, deps: readonly unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers list what their drawing reads.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = createChart(el, { autoSize: true, ...themeOptions(theme) });
    draw(chart);
    const timeScale = chart.timeScale();
    timeScale.fitContent();
    // With autoSize the chart is 0 px wide when first drawn; fit again once it has its real width, so
    // it opens on the whole run rather than on the bars that happened to fit at first.
    let fitted = false;
    const refit = (width: number) => {
      if (fitted || width <= 0) return;
      fitted = true;
      timeScale.fitContent();
    };
    timeScale.subscribeSizeChange(refit);
    return () => {
      timeScale.unsubscribeSizeChange(refit);
      chart.remove();
    };
  }, [theme, ...deps]);
  return ref;
}

const ts = (seconds: number) => seconds as UTCTimestamp;

function toChartMarker(m: Marker): SeriesMarker<Time> {
  return { time: ts(m.time), position: m.position, shape: m.shape, color: m.color, id: m.id };
}

export function EquityChart({
  points,
  quote,
}: {
  readonly points: readonly EquityPoint[];
  readonly quote: string;
}) {
  const ref = useChart(
    (chart) => {
      const series = chart.addSeries(AreaSeries, {
        lineColor: COLORS.equity,
        topColor: 'rgba(79, 140, 255, 0.35)',
        bottomColor: 'rgba(79, 140, 255, 0.02)',
        lineWidth: 2,
        title: `Equity (${quote})`,
        priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
      });
      series.setData(equityLine(points).map((p) => ({ time: ts(p.time), value: p.value })));
    },
    [points, quote],
  );
  return (
    <div
      ref={ref}
      className="bt-chart"
      data-testid="chart-equity"
      role="img"
      aria-label={`Equity curve in ${quote}`}
    />
  );
}

export function DrawdownChart({ points }: { readonly points: readonly EquityPoint[] }) {
  const ref = useChart(
    (chart) => {
      const series = chart.addSeries(AreaSeries, {
        lineColor: COLORS.drawdown,
        topColor: 'rgba(239, 83, 80, 0.05)',
        bottomColor: 'rgba(239, 83, 80, 0.4)',
        invertFilledArea: true,
        lineWidth: 1,
        title: 'Drawdown (%)',
        priceFormat: { type: 'custom', formatter: (v: number) => `${v.toFixed(2)}%` },
      });
      series.setData(drawdownLine(points).map((p) => ({ time: ts(p.time), value: p.value })));
    },
    [points],
  );
  return (
    <div
      ref={ref}
      className="bt-chart bt-chart-small"
      data-testid="chart-drawdown"
      role="img"
      aria-label="Drawdown from the running peak, percent"
    />
  );
}

/** Line colour of the i-th indicator line. */
function lineColor(i: number): string {
  return COLORS.lines[i % COLORS.lines.length]!;
}

export function PriceChart({
  data,
  trades,
}: {
  readonly data: RunChart;
  readonly trades: readonly NumberedTrade[];
}) {
  const [hover, setHover] = useState<{ x: number; y: number; lines: readonly string[] } | null>(null);
  const ref = useChart(
    (chart) => {
      const candleTimes = data.candles.map((c) => c.time);
      const candles = chart.addSeries(CandlestickSeries, {
        upColor: COLORS.up,
        downColor: COLORS.down,
        borderVisible: false,
        wickUpColor: COLORS.up,
        wickDownColor: COLORS.down,
      });
      candles.setData(
        data.candles.map((c) => ({
          time: ts(chartTime(c.time)),
          open: c.open,
          high: c.high,
          low: c.low,
          close: c.close,
        })),
      );
      // One pane per oscillator node (MACD's lines share one), below the price pane.
      const panes = new Map<string, number>();
      data.indicators.forEach((line, i) => {
        let pane = 0;
        if (line.pane === 'own') {
          if (!panes.has(line.nodeId)) panes.set(line.nodeId, panes.size + 1);
          pane = panes.get(line.nodeId)!;
        }
        const series = chart.addSeries(
          LineSeries,
          {
            color: lineColor(i),
            lineWidth: 1,
            title: line.label,
            priceLineVisible: false,
            lastValueVisible: false,
          },
          pane,
        );
        series.setData(
          indicatorLine(candleTimes, line.values).map((p) =>
            'value' in p ? { time: ts(p.time), value: p.value } : { time: ts(p.time) },
          ),
        );
      });
      chart.panes().forEach((pane, i) => {
        if (i > 0) pane.setStretchFactor(0.35);
      });
      // Shapes only: a text label per fill piles up into an unreadable smear on a busy run; what each
      // marker means is in the hover tooltip and the trades table.
      const all = tradeMarkers(trades, candleTimes);
      const plugin = createSeriesMarkers(candles, []);
      const show = (range: { from: Time; to: Time } | null) => {
        const from = range ? Number(range.from) : Number.NEGATIVE_INFINITY;
        const to = range ? Number(range.to) : Number.POSITIVE_INFINITY;
        plugin.setMarkers(thinMarkers(all, { from, to }).map(toChartMarker));
      };
      show(null);
      chart.timeScale().subscribeVisibleTimeRangeChange(show);
      chart.subscribeCrosshairMove((param) => {
        const here = param.time === undefined ? [] : markersAt(all, Number(param.time));
        setHover(
          here.length === 0 || !param.point
            ? null
            : { x: param.point.x, y: param.point.y, lines: here.map((m) => m.text) },
        );
      });
    },
    [data, trades],
  );
  return (
    <div className="bt-chart-wrap">
      <div
        ref={ref}
        className="bt-chart bt-chart-price"
        data-testid="chart-price"
        role="img"
        aria-label={`${data.symbol} ${data.timeframe} price with indicators and trade markers`}
      />
      {hover && (
        <div
          className="bt-marker-tip"
          role="tooltip"
          data-testid="marker-tooltip"
          style={{ left: hover.x + 12, top: hover.y + 12 }}
        >
          {hover.lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      )}
      <div className="bt-legend">
        {data.barsPerCandle > 1 && (
          <span>
            Each candle merges {data.barsPerCandle} bars of {data.timeframe} (
            {data.bars.toLocaleString('en-US')} bars)
          </span>
        )}
        {data.indicators.map((line, i) => (
          <span key={`${line.nodeId}.${line.port}`}>
            <i style={{ background: lineColor(i) }} />
            {line.label}
            {line.pane === 'own' ? ' (own pane)' : ''}
          </span>
        ))}
      </div>
    </div>
  );
}

/** Both runs' returns since their start, in percent, so runs with different cash share one scale. */
export function CompareEquityChart(props: {
  readonly a: readonly EquityPoint[];
  readonly b: readonly EquityPoint[];
  readonly labels: readonly [string, string];
}) {
  const ref = useChart(
    (chart) => {
      const format = { type: 'custom' as const, formatter: (v: number) => `${v.toFixed(2)}%` };
      const a = chart.addSeries(LineSeries, {
        color: COLORS.equity,
        lineWidth: 2,
        title: props.labels[0],
        priceFormat: format,
      });
      const b = chart.addSeries(LineSeries, {
        color: COLORS.compareB,
        lineWidth: 2,
        title: props.labels[1],
        priceFormat: format,
      });
      a.setData(returnLine(props.a).map((p) => ({ time: ts(p.time), value: p.value })));
      b.setData(returnLine(props.b).map((p) => ({ time: ts(p.time), value: p.value })));
    },
    [props.a, props.b, props.labels[0], props.labels[1]],
  );
  return (
    <div>
      <div
        ref={ref}
        className="bt-chart"
        data-testid="compare-equity"
        role="img"
        aria-label="Both runs' returns since their start, percent"
      />
      <div className="bt-legend">
        <span>
          <i style={{ background: COLORS.equity }} />
          {props.labels[0]}
        </span>
        <span>
          <i style={{ background: COLORS.compareB }} />
          {props.labels[1]}
        </span>
        <span>return since the start of each run, %</span>
      </div>
    </div>
  );
}
