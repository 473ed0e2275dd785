// `candleflow backtest`: compile a strategy, load its data, run the engine, print and save the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CandleSeries } from '@candleflow/data';
import {
  type BacktestResult,
  type BacktestSettings,
  backtestSettings,
  runBacktest,
  type SlippageModel,
} from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import { bindFeedsToData, compile, type GraphInput } from '@candleflow/strategy-dsl';
import { loadData } from '../data-source';
import { parseDate, parseParamOverrides, parsePositive, parseRate } from '../options';
import { createProgress } from '../progress';
import { renderHtmlReport } from '../report/html';
import { renderMetricsTable } from '../report/table';
import { printDiagnostics } from '../diagnostics';
import { loadStrategy, UsageError } from '../strategy-file';

export interface BacktestOptions {
  readonly data: readonly string[];
  readonly symbol?: string;
  readonly timeframe?: string;
  readonly from?: string;
  readonly to?: string;
  readonly cash?: string;
  readonly fee?: string;
  readonly makerFee?: string;
  readonly takerFee?: string;
  readonly slippage?: string;
  readonly fill?: string;
  readonly market?: string;
  readonly leverage?: string;
  readonly funding?: string;
  readonly param?: readonly string[];
  readonly sizing?: string;
  readonly exclusive?: boolean;
  readonly closeAtEnd?: boolean;
  readonly volumeShare?: string;
  readonly json?: boolean;
  readonly report?: string;
  readonly kernel?: string;
  readonly annualisation?: string;
  readonly gaps?: string;
}

export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
}

/** Runs the command; returns the process exit code (0 ok, 1 strategy or data errors). */
export async function backtestCommand(
  strategyPath: string,
  options: BacktestOptions,
  io: CommandIo,
): Promise<number> {
  const loaded = loadStrategy(strategyPath);
  if (!loaded.ok) {
    printDiagnostics(io.err, strategyPath, loaded.diagnostics);
    return 1;
  }
  if (options.data.length === 0)
    throw new UsageError('--data is required: a CSV file, SYMBOL=file.csv, or a dataset name');

  const strategySymbols = feedSymbols(loaded.graph);
  const gaps = options.gaps === 'fill' ? 'fill' : 'keep';
  const series = new Map<string, CandleSeries>();
  const notes: string[] = [];
  for (const spec of options.data) {
    const eq = spec.indexOf('=');
    const explicit = eq > 0 ? spec.slice(0, eq) : undefined;
    const path = explicit !== undefined ? spec.slice(eq + 1) : spec;
    const symbol =
      explicit ?? options.symbol ?? (strategySymbols.length === 1 ? strategySymbols[0]! : undefined);
    if (symbol === undefined) {
      throw new UsageError(
        `the strategy reads ${strategySymbols.join(', ')}: give each data file its symbol, e.g. --data ${strategySymbols[0]}=file.csv`,
      );
    }
    const loadedData = loadData(path, { symbol, timeframe: options.timeframe, gaps });
    series.set(symbol, loadedData.series);
    notes.push(...loadedData.notes);
  }
  let graph = loaded.graph;
  if (series.size === 1) {
    const [dataSymbol, data] = [...series.entries()][0]!;
    const bound = bindFeedsToData(graph, catalog, {
      symbol: options.symbol ?? dataSymbol,
      timeframe: data.timeframe,
    });
    graph = bound.graph;
    notes.push(...bound.notes);
  }

  const paramValues = parseParamOverrides(options.param ?? []);
  const compiled = compile(graph, catalog, { paramValues });
  if (!compiled.ok) {
    printDiagnostics(io.err, strategyPath, compiled.diagnostics);
    return 1;
  }
  printDiagnostics(io.err, strategyPath, compiled.diagnostics);

  const settings = settingsFrom(options);
  const progress = options.json || !io.isTty ? null : createProgress('backtest', 'bars');
  const started = performance.now();
  const result = runBacktest({
    plan: compiled.plan,
    data: series,
    settings,
    risk: compiled.graph.risk,
    runId: compiled.graph.name,
    kernelMode: options.kernel === 'evaluator' ? 'evaluator' : 'fast',
    onProgress: progress ? (done, total) => progress.update(done, total) : undefined,
  });
  progress?.stop();
  const seconds = (performance.now() - started) / 1000;

  if (options.report !== undefined) {
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, renderHtmlReport({ name: compiled.graph.name, result, series, notes }));
  }
  if (options.json) {
    io.out(JSON.stringify(jsonReport(compiled.graph.name, result, notes)));
  } else {
    io.out(renderMetricsTable({ name: compiled.graph.name, result, notes, seconds }));
    if (options.report !== undefined) io.out(`report written to ${options.report}`);
  }
  return 0;
}

function settingsFrom(options: BacktestOptions): BacktestSettings {
  const fee = options.fee !== undefined ? parseRate(options.fee, '--fee') : undefined;
  const makerFee = options.makerFee !== undefined ? parseRate(options.makerFee, '--maker-fee') : fee;
  const takerFee = options.takerFee !== undefined ? parseRate(options.takerFee, '--taker-fee') : fee;
  let slippage: SlippageModel | undefined;
  if (options.slippage !== undefined) {
    const rate = parseRate(options.slippage, '--slippage');
    slippage = rate === 0 ? { kind: 'none' } : { kind: 'proportional', rate };
  }
  if (options.fill !== undefined && !['next-open', 'close'].includes(options.fill)) {
    throw new UsageError(`--fill ${options.fill}: use next-open (default) or close`);
  }
  if (options.market !== undefined && !['spot', 'perp'].includes(options.market)) {
    throw new UsageError(`--market ${options.market}: use perp (default) or spot`);
  }
  if (options.sizing !== undefined && !['strategy', 'all-in-units'].includes(options.sizing)) {
    throw new UsageError(`--sizing ${options.sizing}: use strategy (default) or all-in-units`);
  }
  const volumeShare =
    options.volumeShare !== undefined ? parsePositive(options.volumeShare, '--volume-share') : undefined;
  if (volumeShare !== undefined && volumeShare > 1)
    throw new UsageError('--volume-share must be at most 1 (1 = no cap)');
  const fundingRate = options.funding !== undefined ? parseRate(options.funding, '--funding') : undefined;
  const leverage = options.leverage !== undefined ? parsePositive(options.leverage, '--leverage') : undefined;
  if (options.market === 'spot' && leverage !== undefined && leverage !== 1) {
    throw new UsageError('--leverage applies to perpetual futures; a spot account has none');
  }
  return backtestSettings({
    execution: {
      ...(makerFee !== undefined ? { makerFee } : {}),
      ...(takerFee !== undefined ? { takerFee } : {}),
      ...(slippage !== undefined ? { slippage } : {}),
      ...(options.fill !== undefined ? { fill: options.fill === 'close' ? 'close' : 'next_open' } : {}),
      ...(volumeShare !== undefined ? { maxVolumeShare: volumeShare } : {}),
    },
    account: {
      ...(options.market !== undefined ? { market: options.market as 'spot' | 'perp' } : {}),
      ...(options.cash !== undefined ? { initialCash: parsePositive(options.cash, '--cash') } : {}),
      ...(leverage !== undefined ? { leverage } : {}),
      ...(options.market === 'spot' || fundingRate === 0
        ? { funding: { kind: 'none' } }
        : fundingRate !== undefined
          ? { funding: { kind: 'fixed', rate: fundingRate, intervalHours: 8 } }
          : {}),
    },
    sizing: options.sizing === 'all-in-units' ? 'all_in_units' : 'strategy',
    exclusive: options.exclusive === true,
    closeAtEnd: options.closeAtEnd === true ? 'last_close' : false,
    annualisation: options.annualisation === 'backtesting.py' ? 'backtesting.py' : 'crypto',
    ...(options.from !== undefined ? { from: parseDate(options.from, '--from') } : {}),
    ...(options.to !== undefined ? { to: parseDate(options.to, '--to') } : {}),
    seed: 0,
  } satisfies Parameters<typeof backtestSettings>[0] & { readonly [key: string]: unknown });
}

/** The symbols the strategy's feed (candles) nodes read, as written in the graph. */
function feedSymbols(graph: GraphInput): string[] {
  const symbols = new Set<string>();
  for (const node of graph.nodes ?? []) {
    const definition = catalog.get(node.type, node.version);
    const parsed =
      definition?.feed === undefined ? undefined : definition.params.safeParse(node.params ?? {});
    if (definition?.feed !== undefined && parsed?.success) symbols.add(definition.feed(parsed.data).symbol);
  }
  return [...symbols];
}

export function jsonReport(name: string, result: BacktestResult, notes: readonly string[]) {
  return {
    strategy: name,
    metrics: result.metrics,
    buyAndHoldReturnPct: result.buyAndHoldReturnPct,
    bars: result.bars,
    trades: result.trades,
    openTrades: result.openTrades,
    riskDecisions: result.riskDecisions,
    ignoredSignals: result.ignoredSignals.length,
    warnings: result.warnings,
    notes,
    settings: result.settings,
    provenance: result.provenance,
  };
}
