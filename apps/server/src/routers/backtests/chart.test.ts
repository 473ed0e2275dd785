// backtests.chart: candles merged without losing highs and lows, the strategy's indicators equal to a
// reference library on the run's own bars and parameters, the pane split between price-scale lines and
// oscillators, and the procedure end to end on PGlite with a real run.
import { readFileSync } from 'node:fs';
import { type CandleSeries, parseCandlesCsv } from '@candleflow/data';
import { EMA, RSI } from 'technicalindicators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, query } from '../../test-support/server';
import { aggregateCandles, type ChartData, onPriceScale, rowRange } from './chart';
import { type Platform, startPlatform, waitFor } from './test-support/platform';

const root = new URL('../../../../../', import.meta.url);
const DEMO_CSV = readFileSync(new URL('examples/data/demo-btc-1h.csv', root), 'utf8');
const SMALL_CSV = DEMO_CSV.split('\n')
  .slice(0, 24 * 40 + 1)
  .join('\n');
const small = parseCandlesCsv(SMALL_CSV, { symbol: 'BTC/USDT' }).series;

function seriesOf(rows: Array<[number, number, number, number, number, number]>): CandleSeries {
  const col = (k: number) => Float64Array.from(rows.map((r) => r[k]!));
  return {
    symbol: 'X/USDT',
    timeframe: '1h',
    time: col(0),
    open: col(1),
    high: col(2),
    low: col(3),
    close: col(4),
    volume: col(5),
  };
}

describe('rowRange', () => {
  it('selects the bars with from ≤ open time < to, as the engine does', () => {
    const time = Float64Array.from([10, 20, 30, 40, 50]);

    expect(rowRange(time, 20, 50)).toEqual({ start: 1, end: 4 });
    expect(rowRange(time)).toEqual({ start: 0, end: 5 });
    expect(rowRange(time, 60)).toEqual({ start: 5, end: 5 });
  });
});

describe('aggregateCandles', () => {
  const series = seriesOf([
    [0, 10, 12, 9, 11, 1],
    [1, 11, 15, 10, 14, 2],
    [2, 14, 14, 7, 8, 3],
    [3, 8, 9, 8, 9, 4],
    [4, 9, 20, 9, 19, 5],
  ]);

  it('keeps the first open, the highest high, the lowest low, the last close and the summed volume', () => {
    const candles = aggregateCandles(series, 0, 5, 2);

    expect(candles).toEqual([
      { time: 0, open: 10, high: 15, low: 9, close: 14, volume: 3 },
      { time: 2, open: 14, high: 14, low: 7, close: 9, volume: 7 },
      { time: 4, open: 9, high: 20, low: 9, close: 19, volume: 5 },
    ]);
  });

  it('returns the bars unchanged with one bar per candle', () => {
    const candles = aggregateCandles(series, 1, 3, 1);

    expect(candles).toEqual([
      { time: 1, open: 11, high: 15, low: 10, close: 14, volume: 2 },
      { time: 2, open: 14, high: 14, low: 7, close: 8, volume: 3 },
    ]);
  });

  it('refuses a bars-per-candle that is not a whole number of at least 1', () => {
    expect(() => aggregateCandles(series, 0, 5, 0)).toThrow(/whole number ≥ 1, got 0/);
  });
});

describe('onPriceScale', () => {
  const candles = [{ time: 0, open: 100, high: 110, low: 90, close: 105, volume: 1 }];

  it('puts a moving average on the price scale and an oscillator off it', () => {
    expect(onPriceScale([null, 101, 99], candles)).toBe(true);
    expect(onPriceScale([null, 30, 70], candles)).toBe(false);
    expect(onPriceScale([250], candles)).toBe(false);
  });

  it('keeps a line with no values off the price scale', () => {
    expect(onPriceScale([null, null], candles)).toBe(false);
  });
});

describe('backtests.chart on PGlite with a real run', () => {
  let p: Platform;
  let runId: string;
  const from = small.time[100]!;
  const to = small.time[700]!;
  const caller = () => p.users.a.caller;

  beforeAll(async () => {
    p = await startPlatform({ backend: 'pglite' });
    const strategy = await mutate<{ version: { id: string } }>(
      p.app,
      'strategies.create',
      { template: 'ema-cross' },
      caller(),
    );
    const dataset = await mutate<{ id: string }>(
      p.app,
      'datasets.importCsv',
      { name: 'btc', symbol: 'BTC/USDT', csv: SMALL_CSV },
      caller(),
    );
    const run = await mutate<{ id: string }>(
      p.app,
      'backtests.submit',
      {
        strategyVersionId: strategy.data.version.id,
        datasetId: dataset.data.id,
        settings: { paramValues: { fast: 10 }, from, to },
      },
      caller(),
    );
    runId = run.data.id;
    await waitFor('the run to succeed', async () => {
      const res = await query<{ status: string }>(p.app, 'backtests.get', { id: runId }, caller());
      if (res.data.status === 'FAILED') throw new Error('the run failed');
      return res.data.status === 'SUCCEEDED' ? true : undefined;
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  it("draws the run's bars with the fast EMA at the run's parameter value and RSI in its own pane", async () => {
    const res = await query<ChartData>(p.app, 'backtests.chart', { id: runId }, caller());

    const closes = Array.from(small.close.subarray(100, 700));
    expect(res.error).toBeUndefined();
    expect(res.data.bars).toBe(600);
    expect(res.data.barsPerCandle).toBe(1);
    expect(res.data.candles.map((c) => c.time)).toEqual(Array.from(small.time.subarray(100, 700)));
    const fast = res.data.indicators.find((l) => l.nodeId === 'fast_ema');
    const reference = EMA.calculate({ period: 10, values: closes });
    expect(fast?.pane).toBe('price');
    expect(fast?.values.slice(0, 9)).toEqual(Array(9).fill(null));
    fast?.values.slice(9).forEach((v, i) => {
      expect(v).toBeCloseTo(reference[i]!, 6);
    });
    const rsi = res.data.indicators.find((l) => l.nodeId === 'rsi');
    expect(rsi?.pane).toBe('own');
    const rsiReference = RSI.calculate({ period: 14, values: closes });
    expect(rsi?.values.at(-1)).toBeCloseTo(rsiReference.at(-1)!, 1);
  });

  it('merges bars into at most maxPoints candles whose indicator values are those at the last bar merged', async () => {
    const res = await query<ChartData>(p.app, 'backtests.chart', { id: runId, maxPoints: 100 }, caller());

    expect(res.data.barsPerCandle).toBe(6);
    expect(res.data.candles).toHaveLength(100);
    const highs = Array.from(small.high.subarray(100, 106));
    expect(res.data.candles[0]!.high).toBe(Math.max(...highs));
    const closes = Array.from(small.close.subarray(100, 700));
    const reference = EMA.calculate({ period: 10, values: closes });
    const fast = res.data.indicators.find((l) => l.nodeId === 'fast_ema')!;
    // Candle k ends at bar 6k + 5; EMA(10) has its first value at bar 9.
    expect(fast.values[5]).toBeCloseTo(reference[6 * 5 + 5 - 9]!, 6);
  });

  it("refuses another user's run as NOT_FOUND", async () => {
    const res = await query(p.app, 'backtests.chart', { id: runId }, p.users.b.caller);

    expect(res.error?.data.code).toBe('NOT_FOUND');
  });

  it('answers CONFLICT for a run that has not finished', async () => {
    const done = await p.db.prisma.backtestRun.findUniqueOrThrow({ where: { id: runId } });
    const queued = await p.db.prisma.backtestRun.create({
      data: {
        ownerId: p.users.a.id,
        strategyVersionId: done.strategyVersionId,
        datasetId: done.datasetId,
        settings: {},
        settingsHash: 's',
        engineVersion: 'e',
        cacheKey: 'never-computed',
      },
    });

    const res = await query(p.app, 'backtests.chart', { id: queued.id }, caller());

    expect([res.status, res.error?.data.code]).toEqual([409, 'CONFLICT']);
  });
});
