// End-to-end behaviour of a run as a whole: several symbols in one account, input errors, the end of the
// test, the time window, cancellation and progress, determinism, kernel modes and the honesty of metrics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandleSeries } from '@candleflow/data';
import { describe, expect, it } from 'vitest';
import { type BacktestInput, type BacktestResult, runBacktest } from './backtest';
import { backtestSettings, DEFAULT_BACKTEST } from './settings';
import {
  type BarSpec,
  candles,
  compileText,
  EXIT_LONG,
  flat,
  HOUR,
  INSTRUMENTS,
  instrument,
  LONG,
  mark,
  plainSettings,
  type Rule,
  run,
  strategyText,
  T0,
} from './test-support/strategy';

const fixedLong = (quantity: number, symbol = 0): Rule => ({
  action: 'enter_long',
  code: LONG,
  size: `fixed_size(quantity: ${quantity})`,
  symbol,
});

function twoSymbolInput(
  btc: CandleSeries,
  eth: CandleSeries,
  settings = plainSettings(),
  symbols: readonly [string, string] = ['BTC/USDT', 'ETH/USDT'],
): BacktestInput {
  return {
    plan: compileText(strategyText([fixedLong(10, 0), fixedLong(10, 1)], { symbols })),
    data: new Map([
      [symbols[0], btc],
      [symbols[1], eth],
    ]),
    settings,
  };
}

describe('several symbols', () => {
  it('trades two symbols of one quote currency in one account', () => {
    // ETH starts an hour later, so bar k of ETH is step k + 1 of the run.
    const btc = candles('BTC/USDT', mark([...flat(3), ...flat(3, 110)], 1, LONG));
    const eth = candles('ETH/USDT', mark([...flat(3, 50), ...flat(2, 45)], 1, LONG), { start: T0 + HOUR });

    const result = runBacktest(twoSymbolInput(btc, eth));

    expect(result.bars).toBe(6);
    expect(result.fills.map((f) => [f.symbol, f.price, f.barIndex])).toEqual([
      ['BTC/USDT', 100, 2],
      ['ETH/USDT', 50, 3],
    ]);
    // One account: BTC +10 × 10, ETH −10 × 5.
    expect(result.metrics.finalEquity).toBeCloseTo(10_000 + 100 - 50, 9);
    expect(Object.keys(result.provenance.dataHashes)).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('ignores an order for a symbol that has no bar at that time', () => {
    // The BTC signal on bar 1 trades ETH, whose data starts at bar 3.
    const rule: Rule = { ...fixedLong(1, 0), orderParams: 'symbol: "ETH/USDT"' };
    const plan = compileText(strategyText([rule], { symbols: ['BTC/USDT', 'ETH/USDT'] }));
    const data = new Map([
      ['BTC/USDT', candles('BTC/USDT', mark(flat(5), 1, LONG))],
      ['ETH/USDT', candles('ETH/USDT', flat(2, 50), { start: T0 + 3 * HOUR })],
    ]);

    const result = runBacktest({ plan, data, settings: plainSettings() });

    expect(result.fills).toEqual([]);
    expect(result.ignoredSignals).toEqual([
      expect.objectContaining({ symbol: 'ETH/USDT', barIndex: 1, reason: 'no ETH/USDT bar at this time' }),
    ]);
  });

  it('does not book a resting entry the account can no longer pay for when it fills, and says so', () => {
    // Spot. ETH: a limit buy at 45 sized at all 10,000 rests from bar 1. BTC: 60 units bought at 100 on
    // bar 2 leave 4,000 of cash, so when ETH touches 45 on bar 3 the fill cannot be paid for.
    const plan = compileText(
      strategyText(
        [
          fixedLong(60, 0),
          {
            action: 'enter_long',
            code: LONG,
            symbol: 1,
            order: 'limit_order',
            orderParams: 'offsetPercent: 10',
          },
        ],
        { symbols: ['BTC/USDT', 'ETH/USDT'] },
      ),
    );
    const data = new Map([
      ['BTC/USDT', candles('BTC/USDT', mark(flat(5), 1, LONG))],
      ['ETH/USDT', candles('ETH/USDT', mark([...flat(3, 50), [50, 50, 44, 46], ...flat(1, 46)], 1, LONG))],
    ]);

    const result = runBacktest({ plan, data, settings: plainSettings({ account: { market: 'spot' } }) });

    expect(result.fills.map((f) => f.symbol)).toEqual(['BTC/USDT']);
    expect(result.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^bar 3: fill of .* not booked: insufficient cash/)]),
    );
    expect(result.metrics.finalEquity).toBeCloseTo(10_000, 9);
  });

  it('cancels resting entries when a breaker halts the strategy', () => {
    // BTC: 100 units at 100, closing at 85 on bar 3 (a 15% drawdown). ETH: a limit buy at 45 that never fills.
    const plan = compileText(
      strategyText(
        [fixedLong(100, 0), { ...fixedLong(1, 1), order: 'limit_order', orderParams: 'offsetPercent: 10' }],
        { symbols: ['BTC/USDT', 'ETH/USDT'] },
      ),
    );
    const data = new Map([
      ['BTC/USDT', candles('BTC/USDT', mark([...flat(3), [100, 100, 84, 85], ...flat(2, 85)], 1, LONG))],
      ['ETH/USDT', candles('ETH/USDT', mark(flat(6, 50), 1, LONG))],
    ]);

    const result = runBacktest({ plan, data, settings: plainSettings(), risk: { maxDrawdownPct: 10 } });

    expect(result.trades).toEqual([
      expect.objectContaining({ symbol: 'BTC/USDT', exitBar: 4, exitPrice: 85 }),
    ]);
    const limit = result.orders.find((o) => o.symbol === 'ETH/USDT');
    expect(limit).toMatchObject({ type: 'limit', status: 'canceled' });
    expect(limit?.reason).toMatch(/^risk: max drawdown breaker/);
  });

  it('closes open positions at the end and cancels their protective orders, skipping flat symbols', () => {
    const plan = compileText(
      strategyText([{ ...fixedLong(2, 0), exits: ['stop_loss(percent: 50)'] }], {
        symbols: ['BTC/USDT', 'ETH/USDT'],
      }),
    );
    const data = new Map([
      ['BTC/USDT', candles('BTC/USDT', mark([...flat(3), [100, 111, 100, 110]], 1, LONG))],
      ['ETH/USDT', candles('ETH/USDT', flat(4, 50))],
    ]);

    const result = runBacktest({ plan, data, settings: plainSettings({ closeAtEnd: 'last_close' }) });

    expect(result.trades).toEqual([expect.objectContaining({ exitPrice: 110, exitReason: 'close_at_end' })]);
    expect(result.orders.find((o) => o.purpose === 'stop_loss')).toMatchObject({
      status: 'canceled',
      reason: 'end of test',
    });
  });

  it('refuses symbols quoted in different currencies and names them', () => {
    const btc = candles('BTC/USDT', flat(3));
    const eth = candles('ETH/USD', flat(3, 50));
    const settings = plainSettings({ instruments: { ...INSTRUMENTS, 'ETH/USD': instrument('ETH/USD') } });

    const build = () => runBacktest(twoSymbolInput(btc, eth, settings, ['BTC/USDT', 'ETH/USD']));

    expect(build).toThrow(/BTC\/USDT is quoted in USDT.*ETH\/USD in USD/);
  });
});

describe('input errors', () => {
  const plan = compileText(strategyText([fixedLong(1)]));

  it('names a symbol the strategy reads but the data lacks', () => {
    const build = () =>
      runBacktest({
        plan,
        data: new Map([['ETH/USDT', candles('ETH/USDT', flat(3))]]),
        settings: plainSettings(),
      });

    expect(build).toThrow(/reads BTC\/USDT but no data was given for it \(data has: ETH\/USDT\)/);
  });

  it('explains a data timeframe that differs from the strategy timeframe', () => {
    const data = new Map([['BTC/USDT', candles('BTC/USDT', flat(3), { timeframe: '4h', stepMs: 4 * HOUR })]]);

    const build = () => runBacktest({ plan, data, settings: plainSettings() });

    expect(build).toThrow(/reads BTC\/USDT 1h candles but the data is 4h.*resample/);
  });

  it('says so when the time window selects no bars', () => {
    const build = () => run([fixedLong(1)], flat(3), { settings: plainSettings({ from: T0 + 10 * HOUR }) });

    expect(build).toThrow(/no bars to test/);
  });
});

describe('end of the test', () => {
  // 2 units bought at 100 on bar 2; the last bar opens at 110 and closes at 115.
  const bars = mark([...flat(4), [110, 116, 109, 115]], 1, LONG);

  it('leaves the trade open and marks it at the last close with closeAtEnd off', () => {
    const result = run([fixedLong(2)], bars);

    expect(result.trades).toEqual([]);
    expect(result.openTrades).toEqual([
      {
        symbol: 'BTC/USDT',
        direction: 'long',
        quantity: 2,
        entryTime: T0 + 2 * HOUR,
        entryPrice: 100,
        unrealisedPnl: 30,
      },
    ]);
    expect(result.metrics.finalEquity).toBeCloseTo(10_030, 9);
  });

  it("closes it at the last close with 'last_close'", () => {
    const result = run([fixedLong(2)], bars, { settings: plainSettings({ closeAtEnd: 'last_close' }) });

    expect(result.trades).toEqual([
      expect.objectContaining({ exitPrice: 115, exitBar: 4, exitReason: 'close_at_end', pnl: 30 }),
    ]);
    expect(result.openTrades).toEqual([]);
    expect(result.metrics.finalEquity).toBeCloseTo(10_030, 9);
  });

  it("closes it at the last open with 'last_open' (backtesting.py 0.3)", () => {
    const result = run([fixedLong(2)], bars, { settings: plainSettings({ closeAtEnd: 'last_open' }) });

    expect(result.trades).toEqual([
      expect.objectContaining({ exitPrice: 110, exitReason: 'close_at_end', pnl: 20 }),
    ]);
    expect(result.metrics.finalEquity).toBeCloseTo(10_020, 9);
  });
});

describe('time window', () => {
  it('tests only the bars with from ≤ time < to', () => {
    // Signals on bars 1 (outside the window) and 4 (inside); the window is bars 2 to 6.
    const bars = mark(mark(flat(9), 1, LONG), 4, LONG);
    const settings = plainSettings({ from: T0 + 2 * HOUR, to: T0 + 7 * HOUR });

    const result = run([fixedLong(1)], bars, { settings });

    expect(result.bars).toBe(5);
    expect(result.equity.map((p) => p.time)).toEqual([2, 3, 4, 5, 6].map((k) => T0 + k * HOUR));
    // Bar indices count from the window's first bar: the signal on data bar 4 fills on data bar 5.
    expect(result.fills).toEqual([expect.objectContaining({ time: T0 + 5 * HOUR, barIndex: 3 })]);
  });
});

describe('cancellation and progress', () => {
  const bars = flat(300);

  it('stops early when shouldStop says so, without closing positions', () => {
    let checks = 0;
    const result = run([fixedLong(1)], mark(bars, 1, LONG), {
      settings: plainSettings({ closeAtEnd: 'last_close' }),
      input: { shouldStop: () => ++checks >= 3 },
    });

    // 300 bars report every 3 bars: checks after bars 0, 3 and 6.
    expect(result.stopped).toBe(true);
    expect(result.equity).toHaveLength(7);
    expect(result.trades).toEqual([]);
    expect(result.openTrades).toHaveLength(1);
  });

  it('reports progress in order, ending at the total', () => {
    const calls: [number, number][] = [];

    const result = run([fixedLong(1)], bars, {
      input: { onProgress: (done, total) => calls.push([done, total]) },
    });

    expect(result.stopped).toBe(false);
    expect(calls.length).toBeGreaterThanOrEqual(100);
    expect(calls.every(([, total]) => total === 300)).toBe(true);
    const done = calls.map(([d]) => d);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(calls.at(-1)).toEqual([300, 300]);
  });

  it('does not report a stopped run as complete', () => {
    const calls: number[] = [];

    run([fixedLong(1)], bars, {
      input: { onProgress: (done) => calls.push(done), shouldStop: () => calls.length >= 2 },
    });

    expect(Math.max(...calls)).toBeLessThan(300);
  });
});

/** A sine-wave market with noise from a fixed linear congruential generator: many crossovers. */
function wave(symbol: string, n: number): CandleSeries {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const bars: BarSpec[] = [];
  let previous = 100;
  for (let i = 0; i < n; i++) {
    const close = Math.round((100 + 10 * Math.sin(i / 9) + 3 * noise()) * 100) / 100;
    const open = previous;
    bars.push([open, Math.max(open, close) + 0.5, Math.min(open, close) - 0.5, close, 1_000]);
    previous = close;
  }
  return candles(symbol, bars);
}

describe('reproducibility', () => {
  const root = join(import.meta.dirname, '..', '..', '..', '..');
  const smaCross = compileText(readFileSync(join(root, 'examples', 'sma-cross.cf'), 'utf8'));
  const input = (overrides: Partial<BacktestInput> = {}): BacktestInput => ({
    plan: smaCross,
    data: new Map([['BTC/USDT', wave('BTC/USDT', 400)]]),
    settings: backtestSettings({ exclusive: true, closeAtEnd: 'last_close' }),
    ...overrides,
  });

  it('gives identical results, order ids included, for identical inputs', () => {
    const first = runBacktest(input());
    const second = runBacktest(input());

    expect(first.trades.length).toBeGreaterThan(5);
    expect(second).toEqual(first);
    expect(first.orders.every((o) => /^cf-[0-9a-f]{8}-/.test(o.id))).toBe(true);
  });

  it('names orders after the run id, so another run gets other ids', () => {
    const a = runBacktest(input({ runId: 'a' }));
    const b = runBacktest(input({ runId: 'b' }));

    expect(b.trades).toEqual(a.trades);
    expect(new Set([...a.orders, ...b.orders].map((o) => o.id)).size).toBe(a.orders.length + b.orders.length);
  });

  it('gives identical results in the evaluator and the fast kernel modes', () => {
    const fast = runBacktest(input({ kernelMode: 'fast' }));
    const evaluator = runBacktest(input({ kernelMode: 'evaluator' }));

    expect(fast.trades.length).toBeGreaterThan(5);
    expect(evaluator).toEqual(fast);
  });

  it('records provenance: engine version, node types, data hashes and parameters', () => {
    const result = runBacktest(input());

    expect(result.provenance.engineVersion).toMatch(/\d/);
    expect(result.provenance.nodes.map((n) => n.type)).toEqual(
      expect.arrayContaining(['candles', 'sma', 'crosses_above', 'market_order']),
    );
    expect(result.provenance.dataHashes['BTC/USDT']).toMatch(/\S/);
    expect(result.provenance.paramValues).toEqual({ fast: 10, slow: 30 });
    expect(result.settings.exclusive).toBe(true);
  });
});

describe('metrics', () => {
  function expectHonest(result: BacktestResult): void {
    for (const [name, value] of Object.entries(result.metrics)) {
      if (typeof value === 'number') expect(Number.isFinite(value), `metrics.${name} = ${value}`).toBe(true);
      else if (name !== 'annualisation' && name !== 'notes') expect(value, `metrics.${name}`).toBeNull();
    }
  }

  it('are finite or null for a run without trades, a losing run and a busy run', () => {
    const idle = run([fixedLong(1)], flat(10));
    const liquidated = run(
      [{ action: 'enter_long', code: LONG, size: 'fixed_size(quantity: 900)' }],
      mark([...flat(3), [100, 100, 50, 60], ...flat(3, 60)], 1, LONG),
      { settings: plainSettings({ account: { leverage: 10 } }) },
    );
    const busy = runBacktest({
      plan: compileText(
        readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'sma-cross.cf'), 'utf8'),
      ),
      data: new Map([['BTC/USDT', wave('BTC/USDT', 400)]]),
      settings: { ...DEFAULT_BACKTEST, exclusive: true },
    });

    expect(liquidated.trades[0]?.exitReason).toBe('liquidation');
    expect(busy.trades.length).toBeGreaterThan(5);
    for (const result of [idle, liquidated, busy]) expectHonest(result);
    expect(idle.metrics.tradeCount).toBe(0);
    expect(idle.metrics.winRatePct).toBeNull();
  });

  it('compares with buy and hold over the tested bars', () => {
    const bars = mark([...flat(2), ...flat(2, 120), [120, 131, 119, 130]], 1, EXIT_LONG);

    const result = run([fixedLong(1)], bars);

    expect(result.buyAndHoldReturnPct).toBeCloseTo((130 / 100 - 1) * 100, 9);
  });
});

describe('warm-up bars before tradeFrom', () => {
  const withSignals = mark(mark(flat(8), 1, LONG), 4, LONG);

  it('lets the strategy see them but acts on nothing decided before tradeFrom', () => {
    const result = run([fixedLong(1)], withSignals, {
      settings: plainSettings({ tradeFrom: T0 + 3 * HOUR }),
    });

    // The signal on bar 1 is warm-up; the one on bar 4 fills at bar 5's open.
    expect(result.fills.map((f) => f.barIndex)).toEqual([5]);
    expect(result.ignoredSignals).toEqual([]);
  });

  it('starts the equity curve and the metrics at tradeFrom', () => {
    const warm = run([fixedLong(1)], withSignals, { settings: plainSettings({ tradeFrom: T0 + 3 * HOUR }) });
    const all = run([fixedLong(1)], withSignals);

    expect(warm.equityColumns.time[0]).toBe(T0 + 3 * HOUR);
    expect(warm.equityColumns.time.length).toBe(5);
    expect(all.equityColumns.time.length).toBe(8);
    expect(warm.metrics.durationMs).toBeLessThan(all.metrics.durationMs);
    expect(warm.equityColumns.equity[0]).toBe(warm.metrics.initialCash);
  });
});
