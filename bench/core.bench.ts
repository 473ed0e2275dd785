// `npm run bench`: the strategy core's speed and memory goals, measured in one process on generated data.
// - examples/ema-cross.json compiled (fast path and evaluator path) vs a hand-written fused loop of the
//   same logic over 1,000,000 one-minute bars; both must produce the same signals;
// - the whole backtest (kernel + risk + orders + exchange + account) over the same bars;
// - compiling a 5,000-node graph; reloading 1,000,000 candles from the columnar cache; peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CandleSeries, generateCandles, readCandleCache, writeCandleCache } from '@candleflow/data';
import { backtestSettings, runBacktest } from '@candleflow/engine';
import { catalog } from '@candleflow/nodes';
import { type Bar, compile, createKernel, formatDiagnostic, type GraphInput } from '@candleflow/strategy-dsl';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: a benchmark knob, read once here.
const BARS = Number(process.env.BENCH_BARS ?? 1_000_000);
const ROUNDS = 3;
const root = join(import.meta.dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time, and the CPU time of this process (all its threads, so GC helpers count): on a machine shared
 * with other work, wall time also counts the time other processes held the cores, CPU time does not. */
function time<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

function toBars(series: CandleSeries): Bar[] {
  const bars: Bar[] = new Array(series.time.length);
  for (let i = 0; i < bars.length; i++) {
    bars[i] = {
      time: series.time[i]!,
      open: series.open[i]!,
      high: series.high[i]!,
      low: series.low[i]!,
      close: series.close[i]!,
      volume: series.volume[i]!,
    };
  }
  return bars;
}

function emaCrossGraph(): GraphInput {
  const graph = JSON.parse(readFileSync(join(root, 'examples', 'ema-cross.json'), 'utf8')) as GraphInput;
  for (const node of graph.nodes)
    if (node.type === 'candles') node.params = { symbol: 'BTC/USDT', timeframe: '1m' };
  return graph;
}

/** The same strategy as examples/ema-cross.json, written by hand as one loop: the speed to aim at. */
function handWritten(
  bars: readonly Bar[],
  p: { fast: number; slow: number; rsiPeriod: number; rsiMax: number },
): { entries: number; exits: number } {
  const { fast, slow, rsiPeriod, rsiMax } = p;
  const kf = 2 / (fast + 1);
  const ks = 2 / (slow + 1);
  const atrPeriod = 14;
  let fastEma = 0;
  let slowEma = 0;
  let fastSum = 0;
  let slowSum = 0;
  let gainSum = 0;
  let lossSum = 0;
  let avgGain = 0;
  let avgLoss = 0;
  let trSum = 0;
  let atr = 0;
  let prevClose = 0;
  let prevDiff = 0;
  let crossReady = false;
  let entries = 0;
  let exits = 0;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    const close = bar.close;
    // EMAs seeded with the SMA of their first `period` closes.
    if (i < fast) {
      fastSum += close;
      if (i === fast - 1) fastEma = fastSum / fast;
    } else fastEma += kf * (close - fastEma);
    if (i < slow) {
      slowSum += close;
      if (i === slow - 1) slowEma = slowSum / slow;
    } else slowEma += ks * (close - slowEma);
    // Wilder RSI and ATR from the second bar on.
    if (i > 0) {
      const change = close - prevClose;
      const gain = Math.max(change, 0);
      const loss = change < 0 ? -change : 0;
      const tr = Math.max(bar.high - bar.low, Math.abs(bar.high - prevClose), Math.abs(bar.low - prevClose));
      if (i <= rsiPeriod) {
        gainSum += gain;
        lossSum += loss;
        if (i === rsiPeriod) {
          avgGain = gainSum / rsiPeriod;
          avgLoss = lossSum / rsiPeriod;
        }
      } else {
        avgGain = (avgGain * (rsiPeriod - 1) + gain) / rsiPeriod;
        avgLoss = (avgLoss * (rsiPeriod - 1) + loss) / rsiPeriod;
      }
      if (i <= atrPeriod) {
        trSum += tr;
        if (i === atrPeriod) atr = trSum / atrPeriod;
      } else atr = (atr * (atrPeriod - 1) + tr) / atrPeriod;
    }
    prevClose = close;
    if (i >= slow - 1) {
      const diff = fastEma - slowEma;
      if (crossReady && i >= rsiPeriod && i >= atrPeriod && atr > 0) {
        const rsi = avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss);
        if (prevDiff <= 0 && diff > 0 && rsi < rsiMax) entries++;
        if (prevDiff >= 0 && diff < 0) exits++;
      } else if (crossReady && prevDiff >= 0 && diff < 0) exits++;
      prevDiff = diff;
      crossReady = true;
    }
  }
  return { entries, exits };
}

/** The compiled plan through the kernel's batch API (Kernel.run over the columns), counting its orders. */
function runKernel(
  plan: Parameters<typeof createKernel>[0],
  series: CandleSeries,
  mode: 'fast' | 'evaluator',
): { entries: number; exits: number } {
  const kernel = createKernel(plan, { mode });
  let entries = 0;
  let exits = 0;
  kernel.run({ series: new Map([['BTC/USDT', series]]) }, (_, orders) => {
    for (let k = 0; k < orders.length; k++) {
      if (orders[k]!.intent.action === 'enter_long') entries++;
      else exits++;
    }
  });
  return { entries, exits };
}

/** The same through Kernel.step, one bar at a time (how a live feed drives it). */
function stepKernel(
  plan: Parameters<typeof createKernel>[0],
  bars: readonly Bar[],
  mode: 'fast' | 'evaluator',
): { entries: number; exits: number } {
  const kernel = createKernel(plan, { mode });
  const feed = new Map<string, Bar>();
  let entries = 0;
  let exits = 0;
  for (let i = 0; i < bars.length; i++) {
    feed.set('BTC/USDT', bars[i]!);
    const orders = kernel.step(feed, i);
    for (let k = 0; k < orders.length; k++) {
      if (orders[k]!.intent.action === 'enter_long') entries++;
      else exits++;
    }
  }
  return { entries, exits };
}

/** A 5,000-node graph of the real catalog: 1,000 chains of five nodes each, read by one order. */
function largeGraph(nodes: number): GraphInput {
  const graphNodes: GraphInput['nodes'] = [
    { id: 'candles', type: 'candles', version: 1, params: { symbol: 'BTC/USDT', timeframe: '1m' } },
  ];
  const edges: NonNullable<GraphInput['edges']> = [];
  let previous = 'candles_close';
  graphNodes.push({ id: 'candles_close', type: 'ema', version: 1, params: { period: 2 } });
  edges.push({ source: 'candles', sourcePort: 'close', target: 'candles_close', targetPort: 'source' });
  for (let i = 0; graphNodes.length < nodes - 3; i++) {
    const id = `n${i}`;
    const type = i % 3 === 0 ? 'sma' : i % 3 === 1 ? 'ema' : 'wma';
    graphNodes.push({ id, type, version: 1, params: { period: 2 + (i % 20) } });
    edges.push({ source: previous, sourcePort: 'value', target: id, targetPort: 'source' });
    previous = id;
  }
  graphNodes.push({ id: 'cross', type: 'crosses_above', version: 1, params: {} });
  edges.push({ source: 'candles', sourcePort: 'close', target: 'cross', targetPort: 'a' });
  edges.push({ source: previous, sourcePort: 'value', target: 'cross', targetPort: 'b' });
  graphNodes.push({ id: 'go', type: 'enter_long', version: 1, params: {} });
  edges.push({ source: 'cross', sourcePort: 'value', target: 'go', targetPort: 'when' });
  graphNodes.push({ id: 'order', type: 'market_order', version: 1, params: {} });
  edges.push({ source: 'go', sourcePort: 'signal', target: 'order', targetPort: 'signal' });
  return { schemaVersion: 1, name: 'large', nodes: graphNodes, edges };
}

/** The data and plan of the backtest, as main() and the RSS child make them. */
function backtestInput() {
  const series = generateCandles({
    symbol: 'BTC/USDT',
    timeframe: '1m',
    start: '2020-01-01T00:00:00Z',
    bars: BARS,
    seed: 1,
    startPrice: 30_000,
  });
  const compiled = compile(emaCrossGraph(), catalog);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map(formatDiagnostic).join('\n'));
  return { series, compiled };
}

const RSS_CHILD = '--backtest-rss-child';

/** In a child process: generate the candles, run the whole backtest, report the peak RSS as JSON. */
function backtestRssChild(): void {
  const { series, compiled } = backtestInput();
  const result = runBacktest({
    plan: compiled.plan,
    data: new Map([['BTC/USDT', series]]),
    settings: backtestSettings({}),
    risk: compiled.graph.risk,
  });
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const equityRows = result.equityColumns.time.length;
  // The point objects are made on first read: what a caller that reads them pays on top.
  const points = result.equity.length;
  const withPointsMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({ peakMb, withPointsMb, trades: result.metrics.tradeCount, equityRows, points }),
  );
}

/** Peak RSS of a backtest alone: a fresh process, so the phases before it (a million Bar objects for the
 * hand-written loop, compiled code) do not count. */
function backtestPeakRss(): string {
  const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, RSS_CHILD], {
    encoding: 'utf8',
    env: process.env,
  });
  if (child.status !== 0) return `failed (${child.stderr.trim().split('\n').at(-1) ?? 'no output'})`;
  const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    peakMb: number;
    withPointsMb: number;
    trades: number;
  };
  return `${report.peakMb.toFixed(0)} MB, ${report.trades} trades (goal < 300 MB); ${report.withPointsMb.toFixed(0)} MB once result.equity's points are read`;
}

function main(): void {
  console.log(
    `candleflow core benchmark: ${BARS.toLocaleString('en-US')} generated 1m bars, node ${process.version}`,
  );
  const { series, compiled } = backtestInput();
  const bars = toBars(series);

  const params = compiled.plan.paramValues as {
    fast: number;
    slow: number;
    rsiPeriod: number;
    rsiMax: number;
  };

  const reference = handWritten(bars, params);
  const fastSignals = runKernel(compiled.plan, series, 'fast');
  const evaluatorSignals = runKernel(compiled.plan, series, 'evaluator');
  const steppedSignals = stepKernel(compiled.plan, bars, 'fast');
  const same = [fastSignals, evaluatorSignals, steppedSignals].every(
    (signals) => JSON.stringify(signals) === JSON.stringify(reference),
  );
  console.log(
    `signals: hand-written ${JSON.stringify(reference)}, compiled ${JSON.stringify(fastSignals)}, evaluator ${JSON.stringify(evaluatorSignals)}, compiled step by step ${JSON.stringify(steppedSignals)} -> ${same ? 'identical' : 'DIFFERENT'}`,
  );
  if (!same) process.exitCode = 1;

  type Timings = { wall: number[]; cpu: number[] };
  const timings = (): Timings => ({ wall: [], cpu: [] });
  const record = (into: Timings, fn: () => unknown) => {
    const { ms, cpuMs } = time(fn);
    into.wall.push(ms);
    into.cpu.push(cpuMs);
  };
  const hand = timings();
  const fast = timings();
  const evaluator = timings();
  const stepped = timings();
  const steppedEvaluator = timings();
  for (let round = 0; round < ROUNDS; round++) {
    record(hand, () => handWritten(bars, params));
    record(fast, () => runKernel(compiled.plan, series, 'fast'));
    record(evaluator, () => runKernel(compiled.plan, series, 'evaluator'));
    record(stepped, () => stepKernel(compiled.plan, bars, 'fast'));
    record(steppedEvaluator, () => stepKernel(compiled.plan, bars, 'evaluator'));
  }
  const perSecond = (ms: number) => BARS / (ms / 1000);
  const format = (ms: number[]) => Math.round(perSecond(median(ms))).toLocaleString('en-US');
  const rate = (t: Timings) => `${format(t.wall)} bars/s (${format(t.cpu)} per CPU second)`;
  const handRate = perSecond(median(hand.wall));
  const fastRate = perSecond(median(fast.wall));
  console.log(`hand-written fused loop: ${rate(hand)}`);
  console.log(`compiled strategy (fast path, Kernel.run): ${rate(fast)}`);
  console.log(`compiled strategy (evaluator path, Kernel.run): ${rate(evaluator)} (goal >= 3,000,000)`);
  console.log(
    `step by step (Kernel.step per bar): fast ${rate(stepped)}, evaluator ${rate(steppedEvaluator)}`,
  );

  const backtest = time(() =>
    runBacktest({
      plan: compiled.plan,
      data: new Map([['BTC/USDT', series]]),
      settings: backtestSettings({}),
      risk: compiled.graph.risk,
    }),
  );
  console.log(
    `full backtest (kernel, risk, orders, exchange, account, metrics): ${Math.round(perSecond(backtest.ms)).toLocaleString('en-US')} bars/s, ${backtest.value.metrics.tradeCount} trades`,
  );

  const large = largeGraph(5000);
  compile(large, catalog, { maxNodes: 10_000 }); // warm up the JIT
  const compileTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    const result = time(() => compile(large, catalog, { maxNodes: 10_000 }));
    if (!result.value.ok)
      throw new Error(result.value.diagnostics.slice(0, 3).map(formatDiagnostic).join('\n'));
    compileTimes.push(result.ms);
  }
  console.log(
    `compile a ${large.nodes.length}-node graph: ${median(compileTimes).toFixed(1)} ms (goal < 500 ms)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'candleflow-bench-'));
  try {
    const file = join(dir, 'btc-1m.candles');
    writeCandleCache(file, series);
    readCandleCache(file);
    const reloads: number[] = [];
    for (let round = 0; round < 5; round++) reloads.push(time(() => readCandleCache(file)).ms);
    console.log(
      `reload ${BARS.toLocaleString('en-US')} candles from the columnar cache: ${median(reloads).toFixed(1)} ms (goal < 100 ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`peak RSS of this whole benchmark process: ${peakMb.toFixed(0)} MB`);
  console.log(
    `peak RSS of a full ${BARS.toLocaleString('en-US')}-bar backtest in its own process: ${backtestPeakRss()}`,
  );
  console.log(
    `compiled/hand-written speed ratio: ${(fastRate / handRate).toFixed(2)} (per CPU second: ${(perSecond(median(fast.cpu)) / perSecond(median(hand.cpu))).toFixed(2)})`,
  );
}

if (process.argv.includes(RSS_CHILD)) backtestRssChild();
else main();
