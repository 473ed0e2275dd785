// Builders for end-to-end backtest tests: hand-made candles whose volume carries "signal codes", and small
// strategies in DSL text compiled with the real node catalog, so every fill can be worked out by hand.
import type { CandleSeries } from '@candleflow/data';
import { catalog } from '@candleflow/nodes';
import { compile, formatDiagnostic, type Plan, parseText, type RiskSettings } from '@candleflow/strategy-dsl';
import type { Instrument } from '../../types';
import { type BacktestInput, type BacktestResult, runBacktest } from '../backtest';
import { type BacktestSettings, backtestSettings } from '../settings';

export const HOUR = 3_600_000;
/** 2024-01-01T00:00:00Z: a funding time, so 8-hour funding falls on bars 8, 16, … of hourly data. */
export const T0 = Date.UTC(2024, 0, 1);

/** One bar as [open, high, low, close] or [open, high, low, close, volume]; volume defaults to 1 (no signal). */
export type BarSpec =
  | readonly [number, number, number, number]
  | readonly [number, number, number, number, number];

export function candles(
  symbol: string,
  bars: readonly BarSpec[],
  options: { timeframe?: string; start?: number; stepMs?: number } = {},
): CandleSeries {
  const n = bars.length;
  const stepMs = options.stepMs ?? HOUR;
  const start = options.start ?? T0;
  const series = {
    symbol,
    timeframe: options.timeframe ?? '1h',
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  bars.forEach((bar, i) => {
    series.time[i] = start + i * stepMs;
    series.open[i] = bar[0];
    series.high[i] = bar[1];
    series.low[i] = bar[2];
    series.close[i] = bar[3];
    series.volume[i] = bar[4] ?? 1;
  });
  return series;
}

/** `n` flat bars at `price` (open = high = low = close), volume 1. */
export function flat(n: number, price = 100): BarSpec[] {
  return Array.from({ length: n }, () => [price, price, price, price] as const);
}

/** A copy of `bars` with bar `index` carrying signal `code` in its volume. */
export function mark(bars: readonly BarSpec[], index: number, code: number): BarSpec[] {
  return bars.map((bar, i) => (i === index ? [bar[0], bar[1], bar[2], bar[3], code] : bar));
}

/** Signal codes carried in a bar's volume (plain bars have volume 1). */
export const LONG = 2;
export const EXIT_LONG = 3;
export const SHORT = 4;
export const EXIT_SHORT = 5;

export interface Rule {
  readonly action: 'enter_long' | 'enter_short' | 'exit_long' | 'exit_short';
  /** Fires on bars whose volume equals this code. */
  readonly code: number;
  readonly order?: 'market_order' | 'limit_order' | 'stop_order';
  /** Extra order-node parameters in DSL syntax, e.g. `offsetPercent: 1, expireAfterBars: 2`. */
  readonly orderParams?: string;
  /** A sizing node call, e.g. `percent_equity(percent: 50)`. */
  readonly size?: string;
  /** Exit node calls, e.g. `stop_loss(percent: 5)`, `stop_loss(atr: atr.value, mode: "atr", multiple: 2)`. */
  readonly exits?: readonly string[];
  /** Index into the strategy's symbols (default 0). */
  readonly symbol?: number;
}

/**
 * DSL text for a strategy that trades `rules` on the bars whose volume equals each rule's code. The candles
 * of symbol k are node `c<k>`; `c0` also feeds an ATR(`atrPeriod`) node `atr` when an exit or size uses it.
 */
export function strategyText(
  rules: readonly Rule[],
  options: { symbols?: readonly string[]; timeframe?: string; atrPeriod?: number } = {},
): string {
  const symbols = options.symbols ?? ['BTC/USDT'];
  const timeframe = options.timeframe ?? '1h';
  const lines = ['strategy "backtest test"'];
  symbols.forEach((symbol, k) => {
    lines.push(`c${k} = candles(symbol: "${symbol}", timeframe: "${timeframe}")`);
  });
  const uses = (text: string) => rules.some((r) => [r.size ?? '', ...(r.exits ?? [])].join().includes(text));
  if (uses('atr.value')) lines.push(`atr = atr(candles: c0.candles, period: ${options.atrPeriod ?? 2})`);
  rules.forEach((rule, r) => {
    const c = `c${rule.symbol ?? 0}`;
    lines.push(`lo${r} = constant(value: ${rule.code - 0.5})`);
    lines.push(`hi${r} = constant(value: ${rule.code + 0.5})`);
    lines.push(`above${r} = compare(a: ${c}.volume, b: lo${r}.value, op: ">")`);
    lines.push(`below${r} = compare(a: ${c}.volume, b: hi${r}.value, op: "<")`);
    lines.push(`when${r} = and(a: above${r}.value, b: below${r}.value)`);
    lines.push(`sig${r} = ${rule.action}(when: when${r}.value)`);
    const inputs = [`signal: sig${r}.signal`];
    if (rule.size !== undefined) {
      lines.push(`size${r} = ${rule.size}`);
      inputs.push(`size: size${r}.sizing`);
    }
    const exits = rule.exits ?? [];
    exits.forEach((exit, e) => {
      lines.push(`exit${r}_${e} = ${exit}`);
    });
    if (exits.length > 0) inputs.push(`exits: [${exits.map((_, e) => `exit${r}_${e}.exit`).join(', ')}]`);
    if (rule.orderParams !== undefined) inputs.push(rule.orderParams);
    lines.push(`order${r} = ${rule.order ?? 'market_order'}(${inputs.join(', ')})`);
  });
  return `${lines.join('\n')}\n`;
}

/** Parses and compiles DSL text with the real catalog; throws with the diagnostics when it does not compile. */
export function compileText(text: string): Plan {
  const parsed = parseText(text);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const compiled = compile(parsed.graph, catalog);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map(formatDiagnostic).join('\n'));
  return compiled.plan;
}

/** Exchange rules with a cent tick and a 0.001 step, so hand-computed prices and sizes are exact. */
export function instrument(symbol: string, tickSize = 0.01, stepSize = 0.001): Instrument {
  const [base = symbol, quote = 'USDT'] = symbol.split('/');
  return { symbol, base, quote, tickSize, stepSize, minQty: 0, minNotional: 0 };
}

export const INSTRUMENTS: Readonly<Record<string, Instrument>> = {
  'BTC/USDT': instrument('BTC/USDT'),
  'ETH/USDT': instrument('ETH/USDT'),
};

/**
 * Settings that make hand computation easy: no fees, no slippage, no volume cap, no funding, 1× perp with
 * 10,000 USDT, cent ticks and 0.001 steps. Tests override what they check.
 */
export function plainSettings(overrides: Parameters<typeof backtestSettings>[0] = {}): BacktestSettings {
  return backtestSettings({
    instruments: INSTRUMENTS,
    ...overrides,
    execution: {
      makerFee: 0,
      takerFee: 0,
      slippage: { kind: 'none' },
      maxVolumeShare: 1,
      ...overrides.execution,
    },
    account: { funding: { kind: 'none' }, ...overrides.account },
  });
}

/** Runs `rules` over one symbol's bars (BTC/USDT unless `symbol` is given). */
export function run(
  rules: readonly Rule[],
  bars: readonly BarSpec[],
  options: {
    settings?: BacktestSettings;
    risk?: RiskSettings;
    symbol?: string;
    input?: Partial<BacktestInput>;
  } = {},
): BacktestResult {
  const symbol = options.symbol ?? 'BTC/USDT';
  return runBacktest({
    plan: compileText(strategyText(rules, { symbols: [symbol] })),
    data: new Map([[symbol, candles(symbol, bars)]]),
    settings: options.settings ?? plainSettings(),
    risk: options.risk,
    ...options.input,
  });
}

/** Runs a strategy written out in DSL text over BTC/USDT bars. */
export function runText(
  text: string,
  bars: readonly BarSpec[],
  settings: BacktestSettings = plainSettings(),
): BacktestResult {
  return runBacktest({
    plan: compileText(text),
    data: new Map([['BTC/USDT', candles('BTC/USDT', bars)]]),
    settings,
  });
}
