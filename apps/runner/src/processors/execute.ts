// Compiles a saved strategy against one dataset and runs the engine: the one place a backtest job becomes
// an engine call, used in the runner's thread or in a worker thread (backtest-thread.ts).
import type { CandleSeries } from '@candleflow/data';
import { type BacktestResult, backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import {
  bindFeedsToData,
  compile,
  type Diagnostic,
  formatDiagnostic,
  type GraphInput,
} from '@candleflow/strategy-dsl';
import { CpuMeter, cpuLimitError } from '../quota';
import { PermanentJobError } from '../queue/queue';
import { compactEquity } from './compact-equity';
import type { RunResult } from '../run-store';

/** BacktestRun.settings as the server stores it. */
export interface BacktestRunSettings {
  /** Strategy parameter values by name; the rest keep their declared defaults. */
  readonly paramValues?: Readonly<Record<string, number | string | boolean>>;
  /** Engine settings overrides (backtestSettings() fills the rest with realistic defaults). */
  readonly backtest?: Parameters<typeof backtestSettings>[0];
}

export interface ExecuteRequest {
  readonly runId: string;
  readonly graph: unknown;
  readonly settings: BacktestRunSettings;
  readonly series: CandleSeries;
  readonly cpuLimitMs: number;
}

export type ExecuteOutcome =
  | { readonly kind: 'succeeded'; readonly result: RunResult }
  | { readonly kind: 'stopped' };

export interface ExecuteHooks {
  /** Throttled by execute: at most every 1% and 200 ms. */
  readonly onProgress: (done: number, total: number) => void;
  readonly shouldStop: () => boolean;
  /** Sees the engine's full result before it is summarised (the optimizer's final run reads per-bar returns). */
  readonly onResult?: (result: BacktestResult) => void;
}

/** Throws PermanentJobError for a strategy that does not compile and QuotaExceededError over the CPU quota. */
export function executeBacktest(request: ExecuteRequest, hooks: ExecuteHooks): ExecuteOutcome {
  const meter = new CpuMeter();
  const { graph, notes } = bindFeedsToData(request.graph as GraphInput, catalog, request.series);
  const compiled = compileStrategy(graph, request.settings.paramValues ?? {});
  let lastDone = -1;
  let lastAt = 0;
  let overCpu = false;
  let checks = 0;
  const result: BacktestResult = runBacktest({
    plan: compiled.plan,
    data: new Map([[request.series.symbol, request.series]]),
    settings: backtestSettings(request.settings.backtest ?? {}),
    risk: compiled.graph.risk,
    runId: request.runId,
    onProgress: (done, total) => {
      const now = performance.now();
      if (done === total || (done - lastDone >= total / 100 && now - lastAt >= 200)) {
        lastDone = done;
        lastAt = now;
        hooks.onProgress(done, total);
      }
    },
    shouldStop: () => {
      // cpuUsage is a system call: look every 1024 bars.
      if ((++checks & 1023) === 0 && meter.elapsedMs() > request.cpuLimitMs) overCpu = true;
      return overCpu || hooks.shouldStop();
    },
  });
  const cpuMs = meter.elapsedMs();
  if (overCpu || cpuMs > request.cpuLimitMs) throw cpuLimitError(request.cpuLimitMs, cpuMs);
  if (result.stopped) return { kind: 'stopped' };
  hooks.onResult?.(result);
  return {
    kind: 'succeeded',
    result: {
      metrics: result.metrics,
      equity: compactEquity(result.equityColumns, 2000),
      trades: result.trades,
      warnings: [...notes, ...result.warnings, ...compiled.diagnostics.map(formatDiagnostic)],
      provenance: result.provenance,
      bars: result.bars,
      cpuMs: Math.round(cpuMs),
    },
  };
}

/** Compiles a graph already bound to its data; throws PermanentJobError naming every error. */
export function compileStrategy(
  graph: GraphInput,
  paramValues: Readonly<Record<string, number | string | boolean>>,
): Extract<ReturnType<typeof compile>, { ok: true }> {
  const compiled = compile(graph, catalog, { paramValues });
  if (!compiled.ok) {
    throw new PermanentJobError(
      `the strategy does not compile: ${describeDiagnostics(compiled.diagnostics)}`,
    );
  }
  return compiled;
}

function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map(formatDiagnostic)
    .join('; ');
}
