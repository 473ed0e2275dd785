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
import { compile, type GraphInput } from '@candleflow/strategy-dsl';
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

  const feeds = feedNodes(loaded.graph);
  const strategySymbols = [...new Set(feeds.map((f) => f.symbol))];
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
  const graph = rebindFeeds(loaded.graph, feeds, series, options.symbol, notes);

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

interface FeedNode {
  readonly id: string;
  readonly symbol: string;
  readonly timeframe: string;
}

function feedNodes(graph: GraphInput): FeedNode[] {
  const feeds: FeedNode[] = [];
  for (const node of graph.nodes ?? []) {
    const definition = catalog.get(node.type, node.version);
    if (definition?.feed === undefined) continue;
    const parsed = definition.params.safeParse(node.params ?? {});
    if (!parsed.success) continue; // the compiler reports it
    const feed = definition.feed(parsed.data);
    feeds.push({ id: node.id, symbol: feed.symbol, timeframe: feed.timeframe });
  }
  return feeds;
}

/**
 * A strategy drawn for BTC/USDT 1h runs on any single data file: its candles nodes are pointed at the data's
 * symbol (--symbol) and timeframe, and the report says so. Strategies reading several symbols bind by name.
 */
function rebindFeeds(
  graph: GraphInput,
  feeds: readonly FeedNode[],
  series: ReadonlyMap<string, CandleSeries>,
  symbolOption: string | undefined,
  notes: string[],
): GraphInput {
  const symbols = new Set(feeds.map((f) => f.symbol));
  const timeframes = new Set(feeds.map((f) => f.timeframe));
  if (symbols.size !== 1 || series.size !== 1) return graph;
  const [dataSymbol, data] = [...series.entries()][0]!;
  const from = [...symbols][0]!;
  const to = symbolOption ?? dataSymbol;
  const fromTf = timeframes.size === 1 ? [...timeframes][0]! : undefined;
  if (from === to && fromTf === data.timeframe) return graph;
  if (from !== to) notes.push(`the strategy's ${from} candles read ${to}`);
  if (fromTf !== undefined && fromTf !== data.timeframe) {
    notes.push(`the strategy's ${fromTf} candles read the data's ${data.timeframe} bars`);
  }
  const ids = new Set(feeds.map((f) => f.id));
  return {
    ...graph,
    nodes: (graph.nodes ?? []).map((node) =>
      ids.has(node.id)
        ? {
            ...node,
            params: {
              ...node.params,
              symbol: to,
              ...(fromTf !== undefined ? { timeframe: data.timeframe } : {}),
            },
          }
        : node,
    ),
  };
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
