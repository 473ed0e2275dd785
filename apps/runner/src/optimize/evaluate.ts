// One trial: the strategy compiled with the trial's parameter values, run on the trial's window of the
// dataset (warm-up bars before it feed the indicators only), reduced to what an optimization keeps.
// Runs in a trial thread (trial-pool.ts); pure apart from the clock.
import type { CandleSeries } from '@candleflow/data';
import { backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import type { BarWindow, ParamSet, TrialMetrics } from '@candleflow/optimize';
import { periodReturns } from '@candleflow/optimize';
import { bindFeedsToData, type GraphInput } from '@candleflow/strategy-dsl';
import { cpuLimitError } from '../quota';
import { errorMessage } from '../queue/queue';
import { compactEquity } from '../processors/compact-equity';
import { type BacktestRunSettings, compileStrategy } from '../processors/execute';

/** Points of an out-of-sample trial's equity curve kept for the stitched walk-forward curve. */
export const STITCH_POINTS = 500;

export interface TrialTask {
  /** OptimizationTrial.index. */
  readonly index: number;
  readonly params: ParamSet;
  readonly window: BarWindow;
  readonly warmupBars: number;
  /** TrialResult.key. */
  readonly key: string;
  /** Keep the downsampled equity curve (out-of-sample trials, for stitching). */
  readonly keepEquity?: boolean;
}

export type TrialEvaluation =
  | {
      readonly index: number;
      readonly key: string;
      readonly ok: true;
      readonly metrics: TrialMetrics;
      readonly returns: Float32Array;
      readonly equity?: { readonly time: number[]; readonly equity: number[] };
      /** Time the trial took on its thread (Node 20 has no per-thread CPU clock; the thread does nothing else). */
      readonly cpuMs: number;
    }
  | { readonly index: number; readonly key: string; readonly ok: false; readonly error: string };

/** The graph with its candle feeds bound to the dataset: the same for every trial of an optimization. */
export function bindGraph(graph: unknown, series: CandleSeries): GraphInput {
  return bindFeedsToData(graph as GraphInput, catalog, series).graph;
}

export function evaluateTrial(
  input: {
    readonly graph: GraphInput;
    readonly settings: BacktestRunSettings;
    readonly series: CandleSeries;
    readonly cpuLimitMs: number;
    readonly shouldStop: () => boolean;
  },
  task: TrialTask,
): TrialEvaluation | null {
  const started = performance.now();
  try {
    const compiled = compileStrategy(input.graph, task.params);
    const { time } = input.series;
    const { window, warmupBars } = task;
    const first = window.from - warmupBars;
    if (first < 0 || window.to > time.length || window.from >= window.to) {
      throw new RangeError(
        `window [${window.from}, ${window.to}) with ${warmupBars} warm-up bars does not fit the dataset's ${time.length} bars`,
      );
    }
    let overCpu = false;
    let checks = 0;
    const result = runBacktest({
      plan: compiled.plan,
      data: new Map([[input.series.symbol, input.series]]),
      settings: backtestSettings({
        ...input.settings.backtest,
        from: time[first],
        tradeFrom: time[window.from],
        to: window.to < time.length ? time[window.to] : undefined,
      }),
      risk: compiled.graph.risk,
      shouldStop: () => {
        if ((++checks & 1023) === 0 && performance.now() - started > input.cpuLimitMs) overCpu = true;
        return overCpu || input.shouldStop();
      },
    });
    const cpuMs = performance.now() - started;
    if (overCpu) throw cpuLimitError(input.cpuLimitMs, cpuMs);
    if (result.stopped) return null;
    const m = result.metrics;
    return {
      index: task.index,
      key: task.key,
      ok: true,
      metrics: {
        sharpe: m.sharpe,
        sortino: m.sortino,
        calmar: m.calmar,
        totalReturnPct: m.totalReturnPct,
        annualReturnPct: m.annualReturnPct,
        profitFactor: m.profitFactor,
        maxDrawdownPct: m.maxDrawdownPct,
        trades: m.tradeCount,
        winRatePct: m.winRatePct,
        finalEquity: m.finalEquity,
      },
      returns: periodReturns(result.equityColumns.equity),
      ...(task.keepEquity ? { equity: columnsOf(compactEquity(result.equityColumns, STITCH_POINTS)) } : {}),
      cpuMs: Math.max(1, Math.round(cpuMs)),
    };
  } catch (error) {
    return { index: task.index, key: task.key, ok: false, error: errorMessage(error) };
  }
}

function columnsOf(points: readonly { time: number; equity: number }[]) {
  return { time: points.map((p) => p.time), equity: points.map((p) => p.equity) };
}
