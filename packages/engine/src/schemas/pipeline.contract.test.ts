// Contract tests along the real pipeline, no mocks: candles from @candleflow/data become bars that satisfy
// bar.schema.json; the real node catalog, compiler and kernel turn them into signals and order intents that
// satisfy signal.schema.json and order-intent.schema.json; the real backtest turns those into orders, fills
// and trades that satisfy order/fill/trade.schema.json. Each value is checked with Ajv against the committed
// files and with the zod schema, so the published contract and the runtime one are both exercised.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CandleSeries, generateCandles, importCandlesFile, parseCandlesCsv } from '@candleflow/data';
import { catalog } from '@candleflow/nodes';
import {
  type Bar,
  BarSchema,
  compile,
  createKernel,
  ExitSchema,
  formatDiagnostic,
  OrderIntentSchema,
  type Plan,
  type PortKind,
  SignalSchema,
  SizingSchema,
} from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type BacktestResult, runBacktest } from '../backtest/backtest';
import { backtestSettings } from '../backtest/settings';
import { FillSchema, OrderSchema, TradeSchema } from './engine-schemas';
import { barsOf, committedSchemaValidator, REPO_ROOT } from './test-support/json-schema-validator';

const validator = committedSchemaValidator();

/** Problems of one value under its JSON Schema file and its zod schema, prefixed with where it came from. */
function problemsOf(where: string, file: string | null, schema: z.ZodType, value: unknown): string[] {
  const json = file === null ? [] : validator.problems(file, value).map((p) => `${where} (${file}) ${p}`);
  const parsed = schema.safeParse(value);
  const zod = (parsed.error?.issues ?? []).map((i) => `${where} (zod) ${i.path.join('.')}: ${i.message}`);
  return [...json, ...zod];
}

const EXAMPLES = join(REPO_ROOT, 'examples');
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

function compileExample(file: string): Plan {
  const compiled = compile(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')), catalog);
  if (!compiled.ok) throw new Error(`${file}:\n${compiled.diagnostics.map(formatDiagnostic).join('\n')}`);
  return compiled.plan;
}

// With seed 3 every example trades, and the examples together fill entry, exit, stop-loss, take-profit,
// trailing-stop and close-at-end orders.
const BARS = 1_500;

/** Generated candles for every symbol the plan reads, in its base timeframe. */
function marketFor(plan: Plan): Map<string, CandleSeries> {
  return new Map(
    plan.symbols.map((symbol, k) => [
      symbol,
      generateCandles({
        symbol,
        timeframe: plan.baseTimeframe,
        start: '2024-01-01T00:00:00Z',
        bars: BARS,
        seed: 3 + k,
        regimes: { meanBars: 150 },
      }),
    ]),
  );
}

describe('data → bars', () => {
  it('generated candles become bars that satisfy bar.schema.json', () => {
    const series = generateCandles({ symbol: 'BTC/USDT', timeframe: '1h', start: 0, bars: 2_000, seed: 3 });

    const bars = barsOf(series);
    const problems = bars.flatMap((bar, i) => problemsOf(`bar ${i}`, 'bar.schema.json', BarSchema, bar));

    expect(bars).toHaveLength(2_000);
    expect(problems).toEqual([]);
  });

  it('bars imported from CSV (epoch ms and ISO times, a filled gap) satisfy bar.schema.json', () => {
    const csv = [
      'timestamp,open,high,low,close,volume',
      '1704067200000,42000.5,42310,41890.25,42200,12.5',
      '1704070800000,42200,42250,42010,42015.75,0',
      // 02:00 is missing: gaps 'fill' inserts a flat bar with volume 0.
      '1704078000000,42015.75,42100,41700,41750,33.25',
    ].join('\n');
    const iso = 'time;open;high;low;close;volume\n2024-01-01T00:00:00Z;1,5;1,75;1,25;1,5;100\n';

    const fromMs = barsOf(parseCandlesCsv(csv, { symbol: 'BTC/USDT', gaps: 'fill' }).series);
    const fromIso = barsOf(parseCandlesCsv(iso, { symbol: 'ETH/BTC', timeframe: '1h' }).series);
    const problems = [...fromMs, ...fromIso].flatMap((bar, i) =>
      problemsOf(`bar ${i}`, 'bar.schema.json', BarSchema, bar),
    );

    expect(fromMs).toHaveLength(4);
    expect(fromIso).toEqual([
      { time: Date.UTC(2024, 0, 1), open: 1.5, high: 1.75, low: 1.25, close: 1.5, volume: 100 },
    ]);
    expect(problems).toEqual([]);
  });

  const GOOG = join(REPO_ROOT, '..', 'shared', 'data', 'GOOG.csv');
  if (!existsSync(GOOG)) console.warn(`skipping GOOG bar contract: ${GOOG} is absent`);
  describe.skipIf(!existsSync(GOOG))('public reference data', () => {
    it('GOOG daily candles imported from CSV satisfy bar.schema.json', () => {
      const bars = barsOf(importCandlesFile(GOOG, { symbol: 'GOOG/USD' }).series);
      const problems = bars.flatMap((bar, i) =>
        problemsOf(`GOOG bar ${i}`, 'bar.schema.json', BarSchema, bar),
      );

      expect(bars.length).toBeGreaterThan(2_000);
      expect(problems).toEqual([]);
    });
  });
});

/** The contract of each port kind that carries a shape (published JSON Schema file or null, and zod schema);
 * number, boolean and scalar ports carry plain values. */
const CONTRACT_BY_KIND: Partial<Record<PortKind, { file: string | null; schema: z.ZodType }>> = {
  candles: { file: 'bar.schema.json', schema: BarSchema },
  signal: { file: 'signal.schema.json', schema: SignalSchema },
  order: { file: 'order-intent.schema.json', schema: OrderIntentSchema },
  // Sizing and exits are published inside order-intent.schema.json; here they are checked on their own.
  sizing: { file: null, schema: SizingSchema },
  exit: { file: null, schema: ExitSchema },
};

/** Runs the plan over the market with the real kernel and checks every output of a contract kind. */
function runKernel(plan: Plan, market: ReadonlyMap<string, CandleSeries>, mode: 'evaluator' | 'fast') {
  const kernel = createKernel(plan, { mode });
  const barsBySymbol = new Map([...market].map(([symbol, series]) => [symbol, barsOf(series)]));
  const checked: Partial<Record<PortKind | 'intent', number>> = {};
  const problems: string[] = [];
  const check = (where: string, kind: PortKind | 'intent', value: unknown) => {
    const contract = CONTRACT_BY_KIND[kind === 'intent' ? 'order' : kind];
    if (!contract || value === null) return;
    checked[kind] = (checked[kind] ?? 0) + 1;
    // Only the first problems: one broken node would otherwise repeat on every bar.
    if (problems.length < 20) problems.push(...problemsOf(where, contract.file, contract.schema, value));
  };
  const step = new Map<string, Bar>();
  for (let i = 0; i < BARS; i++) {
    step.clear();
    for (const [symbol, bars] of barsBySymbol) step.set(symbol, bars[i]!);
    for (const order of kernel.step(step, i))
      check(`bar ${i} intent from ${order.nodeId}`, 'intent', order.intent);
    for (const node of plan.nodes) {
      for (const port of node.definition.outputs) {
        check(`bar ${i} ${node.id}.${port.name}`, port.kind, kernel.value(node.id, port.name));
      }
    }
  }
  return { checked, problems };
}

describe('bars → kernel → signals and order intents', () => {
  describe.each(exampleFiles)('%s', (file) => {
    const plan = compileExample(file);
    const market = marketFor(plan);

    it.each(['evaluator', 'fast'] as const)(
      'every signal and order output satisfies its schema (%s kernel)',
      (mode) => {
        const { checked, problems } = runKernel(plan, market, mode);

        expect(problems).toEqual([]);
        // The run must have produced what it checks, or an empty pass would prove nothing.
        expect(checked.candles).toBeGreaterThanOrEqual(BARS);
        expect(checked.signal).toBeGreaterThan(0);
        expect(checked.order).toBeGreaterThan(0);
        expect(checked.intent).toBe(checked.order);
      },
    );
  });
});

describe('kernel → backtest → orders, fills and trades', () => {
  const results = new Map<string, BacktestResult>();
  const backtest = (file: string): BacktestResult => {
    const known = results.get(file);
    if (known) return known;
    const plan = compileExample(file);
    // Realistic defaults (fees, slippage, funding on a perpetual account), and open trades closed at the end.
    const settings = backtestSettings({ closeAtEnd: 'last_close' });
    const result = runBacktest({ plan, data: marketFor(plan), settings, runId: file });
    results.set(file, result);
    return result;
  };

  it.each(exampleFiles)('%s: every order, fill and trade of the result satisfies its schema', (file) => {
    const result = backtest(file);

    const problems = [
      ...result.orders.flatMap((o) => problemsOf(`order ${o.id}`, 'order.schema.json', OrderSchema, o)),
      ...result.fills.flatMap((f, i) => problemsOf(`fill ${i}`, 'fill.schema.json', FillSchema, f)),
      ...result.trades.flatMap((t, i) => problemsOf(`trade ${i}`, 'trade.schema.json', TradeSchema, t)),
    ];

    expect(problems).toEqual([]);
    expect(result.orders.length).toBeGreaterThan(0);
    expect(result.fills.length).toBeGreaterThan(0);
    expect(result.trades.length).toBeGreaterThan(0);
  });

  it('the examples together exercise entries and every kind of exit order that can fill', () => {
    const purposes = new Set(exampleFiles.flatMap((file) => backtest(file).fills.map((f) => f.purpose)));
    const statuses = new Set(exampleFiles.flatMap((file) => backtest(file).orders.map((o) => o.status)));

    expect([...purposes].sort()).toEqual(
      expect.arrayContaining(['close_at_end', 'entry', 'exit', 'stop_loss', 'take_profit', 'trailing_stop']),
    );
    // Protective orders that never filled end canceled by their OCO partner or the position closing.
    expect([...statuses]).toEqual(expect.arrayContaining(['filled', 'canceled']));
  });
});
