// backtests.chart: what a run's price chart draws: the candles of its dataset within the run's range
// (aggregated to at most maxPoints) and the values of the strategy's indicator nodes on those candles,
// computed by running the run's compiled plan through the kernel bar by bar.
import type { CandleSeries } from '@candleflow/data';
import { catalog } from '@candleflow/nodes';
import { type BacktestRunSettings, loadDatasetFile } from '@candleflow/runner';
import { bindFeedsToData, compile, createKernel, type GraphInput } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { runId } from './views';

export const MAX_CHART_POINTS = 5000;

export const chartInput = z.strictObject({
  id: runId,
  maxPoints: z.number().int().min(10).max(MAX_CHART_POINTS).default(MAX_CHART_POINTS),
});

/** One candle of the chart: a bar of the data, or several consecutive bars merged (open time of the first). */
export interface ChartCandle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface IndicatorLine {
  readonly nodeId: string;
  readonly port: string;
  readonly type: string;
  /** "EMA (fast_ema)" or "Bollinger Bands (bb) upper". */
  readonly label: string;
  /** 'price' when the values live on the price scale (moving averages, bands), 'own' for oscillators. */
  readonly pane: 'price' | 'own';
  /** One value per candle (the node's output at the last bar the candle covers); null while warming up. */
  readonly values: readonly (number | null)[];
}

export interface ChartData {
  readonly symbol: string;
  readonly timeframe: string;
  /** Bars of the data within the run's range. */
  readonly bars: number;
  /** Bars merged into each candle (1 = none). */
  readonly barsPerCandle: number;
  readonly candles: readonly ChartCandle[];
  readonly indicators: readonly IndicatorLine[];
}

/** Rows [start, end) of the series with from ≤ open time < to, as the engine selects them. */
export function rowRange(time: Float64Array, from?: number, to?: number): { start: number; end: number } {
  let start = 0;
  while (start < time.length && from !== undefined && time[start]! < from) start++;
  let end = start;
  while (end < time.length && (to === undefined || time[end]! < to)) end++;
  return { start, end };
}

/** Merges rows [start, end) into candles of `per` bars each: first open, highest high, lowest low, last close. */
export function aggregateCandles(
  series: CandleSeries,
  start: number,
  end: number,
  per: number,
): ChartCandle[] {
  if (!Number.isInteger(per) || per < 1)
    throw new RangeError(`bars per candle must be a whole number ≥ 1, got ${per}`);
  const out: ChartCandle[] = [];
  for (let i = start; i < end; i += per) {
    const last = Math.min(i + per, end) - 1;
    let high = series.high[i]!;
    let low = series.low[i]!;
    let volume = 0;
    for (let k = i; k <= last; k++) {
      if (series.high[k]! > high) high = series.high[k]!;
      if (series.low[k]! < low) low = series.low[k]!;
      volume += series.volume[k]!;
    }
    out.push({ time: series.time[i]!, open: series.open[i]!, high, low, close: series.close[last]!, volume });
  }
  return out;
}

/**
 * Whether a line belongs on the price scale: every value lies within half the lowest low and twice the
 * highest high. Moving averages and bands do; RSI, ATR, MACD or OBV on any asset priced far from their
 * ranges do not. An indicator with no values stays off the price scale.
 */
export function onPriceScale(values: readonly (number | null)[], candles: readonly ChartCandle[]): boolean {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const c of candles) {
    if (c.low < low) low = c.low;
    if (c.high > high) high = c.high;
  }
  let seen = 0;
  for (const v of values) {
    if (v === null) continue;
    if (v < low * 0.5 || v > high * 2) return false;
    seen++;
  }
  return seen > 0;
}

/** The chart of a strategy run on a series: pure, so the procedure only loads and checks what it reads. */
export function computeChart(
  graphInput: GraphInput,
  settings: BacktestRunSettings,
  series: CandleSeries,
  maxPoints: number = MAX_CHART_POINTS,
): ChartData {
  const { graph } = bindFeedsToData(graphInput, catalog, series);
  const compiled = compile(graph, catalog, { paramValues: settings.paramValues ?? {} });
  if (!compiled.ok) {
    throw new ApiError(
      'COMPILE_FAILED',
      'The strategy version of this run no longer compiles with the current node catalog, so its indicators cannot be drawn.',
    );
  }
  const range = (settings.backtest ?? {}) as { from?: number; to?: number };
  const { start, end } = rowRange(series.time, range.from, range.to);
  const bars = end - start;
  const per = Math.max(1, Math.ceil(bars / maxPoints));
  const candles = aggregateCandles(series, start, end, per);

  const lines = compiled.plan.nodes
    .filter((n) => n.definition.category === 'indicators')
    .flatMap((n) =>
      n.definition.outputs
        .filter((port) => port.kind === 'number')
        .map((port) => ({ node: n, port: port.name, values: [] as (number | null)[] })),
    );
  const kernel = createKernel(compiled.plan);
  const columns = new Map([[series.symbol, series]]);
  // The engine numbers bars from the first one in range; so does this, so warm-up ends where it did in the run.
  for (let i = start; i < end; i += per) {
    const to = Math.min(i + per, end);
    kernel.run({ series: columns, from: i, to, barIndex: i - start }, () => {});
    for (const line of lines) {
      const value = kernel.value(line.node.id, line.port);
      line.values.push(typeof value === 'number' && Number.isFinite(value) ? value : null);
    }
  }
  const indicators: IndicatorLine[] = lines.map(({ node, port, values }) => {
    const title = `${node.definition.title} (${node.id})`;
    return {
      nodeId: node.id,
      port,
      type: node.definition.type,
      label: node.definition.outputs.length > 1 ? `${title} ${port}` : title,
      pane: onPriceScale(values, candles) ? 'price' : 'own',
      values,
    };
  });
  return {
    symbol: series.symbol,
    timeframe: series.timeframe,
    bars,
    barsPerCandle: per,
    candles,
    indicators,
  };
}

export async function runChart(ctx: ProtectedContext, input: z.infer<typeof chartInput>): Promise<ChartData> {
  const run = await requireOwned(ctx, 'backtestRun', input.id);
  if (run.status !== 'SUCCEEDED') {
    throw new ApiError(
      'CONFLICT',
      `Backtest ${run.id} is ${run.status.toLowerCase()}; its chart is drawn once it has SUCCEEDED.`,
      { status: run.status },
    );
  }
  // The version and the data are read directly: the run is the caller's, and they stay readable for it
  // even when the strategy was shared by someone else or the dataset has been soft-deleted since.
  const version = await ctx.prisma.strategyVersion.findUniqueOrThrow({
    where: { id: run.strategyVersionId },
  });
  const dataset = await ctx.prisma.dataset.findUniqueOrThrow({ where: { id: run.datasetId } });
  let series: CandleSeries;
  try {
    series = await loadDatasetFile(ctx.env.DATA_DIR, dataset);
  } catch (error) {
    ctx.log.error({ err: error, datasetId: dataset.id }, 'could not read a dataset file for a chart');
    throw new ApiError(
      'NOT_FOUND',
      `The candles of dataset ${dataset.id} are no longer stored, so this run's price chart cannot be drawn.`,
    );
  }
  return computeChart(
    version.graph as GraphInput,
    (run.settings ?? {}) as BacktestRunSettings,
    series,
    input.maxPoints,
  );
}

export const chart = protectedProcedure.input(chartInput).query(({ ctx, input }) => runChart(ctx, input));
