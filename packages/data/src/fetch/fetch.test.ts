import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCandlesCsv } from '../csv/parse';
import { generateCandles } from '../generate/generate';
import { addMonths } from '../timeframe';
import { FetchAbortedError, FetchError, fetchCandles, type FetchCandlesOptions } from './fetch';
import {
  BAD_SYMBOL,
  type BinanceStub,
  SERVER_ERROR,
  startBinanceStub,
  TOO_MANY_REQUESTS,
  UNKNOWN_ERROR,
} from './test-support/binance-server';

const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);
const BARS = 2_500;
const served = generateCandles({ symbol: 'BTC/USDT', timeframe: '1m', start: START, bars: BARS, seed: 11 });
const UNTIL = START + BARS * MINUTE;

let stub: BinanceStub;
beforeAll(async () => {
  stub = await startBinanceStub(served, MINUTE);
});
afterAll(() => stub.close());

function options(out: string, extra: Partial<FetchCandlesOptions> = {}): FetchCandlesOptions {
  return {
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    since: START,
    until: UNTIL,
    out,
    createExchange: () => stub.createExchange(),
    retryDelayMs: 1,
    now: () => UNTIL + 10 * MINUTE,
    ...extra,
  };
}

function freshOut(): string {
  stub.klinesRequests.length = 0;
  stub.faults.length = 0;
  return join(mkdtempSync(join(tmpdir(), 'fetch-')), 'BTCUSDT-1m.csv');
}

/** Reads the output with the importer, which also rejects duplicates and disorder. */
function readOut(out: string) {
  return parseCandlesCsv(readFileSync(out, 'utf8'), { symbol: 'BTC/USDT', timeframe: '1m', file: out })
    .series;
}

function expectServedPrefix(out: string, bars: number): void {
  const got = readOut(out);
  expect(got.time.length).toBe(bars);
  for (const column of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    expect(got[column]).toEqual(served[column].slice(0, bars));
  }
}

describe('fetchCandles against a local Binance', () => {
  it('fetches every page into a CSV equal to the served candles', async () => {
    const out = freshOut();
    const progress: [number, number][] = [];

    const result = await fetchCandles(
      options(out, { onProgress: (done, total) => progress.push([done, total]) }),
    );

    expectServedPrefix(out, BARS);
    expect(result).toMatchObject({ written: BARS, resumed: false, requests: 3, lastTime: UNTIL - MINUTE });
    expect(stub.klinesRequests.map((q) => Number(q.get('startTime')))).toEqual([
      START,
      START + 1000 * MINUTE,
      START + 2000 * MINUTE,
    ]);
    expect(stub.paths).toContain('/api/v3/exchangeInfo');
    expect(progress.at(-1)).toEqual([BARS, BARS]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
  });

  it('retries 429s and 500s and still gets every bar once', async () => {
    const out = freshOut();
    stub.faults.push(TOO_MANY_REQUESTS, SERVER_ERROR, TOO_MANY_REQUESTS, UNKNOWN_ERROR);

    const result = await fetchCandles(options(out));

    expectServedPrefix(out, BARS);
    expect(stub.klinesRequests.length).toBe(7);
    expect(result.requests).toBe(3);
  });

  it('gives up with a clear error after the allowed tries', async () => {
    const out = freshOut();
    stub.faults.push(...Array.from({ length: 10 }, () => SERVER_ERROR));

    const failure = fetchCandles(options(out, { retries: 2 }));

    await expect(failure).rejects.toThrow(
      /fetching BTC\/USDT 1m candles from 2024-01-01T00:00:00.000Z: gave up after 3 tries \(ExchangeNotAvailable/,
    );
    expect(stub.klinesRequests.length).toBe(3);
  });

  it('resumes an aborted fetch without duplicates or gaps', async () => {
    const out = freshOut();
    const controller = new AbortController();
    let pages = 0;

    const first = fetchCandles(
      options(out, {
        signal: controller.signal,
        onProgress: () => {
          pages++;
          if (pages === 2) controller.abort();
        },
      }),
    );
    await expect(first).rejects.toBeInstanceOf(FetchAbortedError);
    expectServedPrefix(out, 2_000);
    const resumed = await fetchCandles(options(out));

    expect(resumed).toMatchObject({ resumed: true, from: START + 2_000 * MINUTE, written: 500 });
    expectServedPrefix(out, BARS);
  });

  it('stops at once when aborted while waiting to retry', async () => {
    const out = freshOut();
    stub.faults.push(SERVER_ERROR, SERVER_ERROR);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();

    const stopped = fetchCandles(options(out, { retryDelayMs: 30_000, signal: controller.signal }));

    await expect(stopped).rejects.toThrow(/fetch stopped after 0 new bars; .* run it again to resume/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('resumes after giving up midway when the exchange recovers', async () => {
    const out = freshOut();
    let pages = 0;
    const failing = fetchCandles(
      options(out, {
        retries: 1,
        onProgress: () => {
          pages++;
          if (pages === 1) stub.faults.push(SERVER_ERROR, SERVER_ERROR);
        },
      }),
    );
    await expect(failing).rejects.toThrow(/gave up after 2 tries/);
    expectServedPrefix(out, 1_000);

    await fetchCandles(options(out));

    expectServedPrefix(out, BARS);
  });

  it('cuts an unfinished last line left by a crash before resuming', async () => {
    const out = freshOut();
    await fetchCandles(options(out, { until: START + 1_000 * MINUTE }));
    appendFileSync(out, `${START + 1_000 * MINUTE},1.5,2`);

    const resumed = await fetchCandles(options(out));

    expect(resumed.repairedBytes).toBeGreaterThan(0);
    expectServedPrefix(out, BARS);
  });

  it('writes only bars that have closed', async () => {
    const out = freshOut();

    await fetchCandles(options(out, { until: undefined, now: () => START + 1_500 * MINUTE + 30_000 }));

    expectServedPrefix(out, 1_500);
  });

  it('skips a window the exchange answers with no candles', async () => {
    const out = freshOut();
    stub.faults.push({ status: 200, body: [] });

    const result = await fetchCandles(options(out, { since: START - 1_000 * MINUTE }));

    expectServedPrefix(out, BARS);
    expect(result.requests).toBe(4);
  });

  it('refuses a page with a repeated candle and writes nothing from it', async () => {
    const out = freshOut();
    // ccxt sorts each page by time, so disorder reaches us as a repeat.
    const row = (t: number) => [t, '1', '1', '1', '1', '1', t + MINUTE - 1, '1', 1, '0', '0', '0'];
    stub.faults.push({ status: 200, body: [row(START), row(START + MINUTE), row(START)] });

    await expect(fetchCandles(options(out))).rejects.toThrow(
      /out of order .* nothing from this page was written/,
    );
    expect(readFileSync(out, 'utf8')).toBe('timestamp,open,high,low,close,volume\n');
  });

  it('does not retry an error that will not heal', async () => {
    const out = freshOut();
    stub.faults.push(BAD_SYMBOL);

    await expect(fetchCandles(options(out))).rejects.toThrow(FetchError);
    expect(stub.klinesRequests.length).toBe(1);
  });

  it('names the timeframes an exchange offers when asked for another', async () => {
    await expect(fetchCandles(options(freshOut(), { timeframe: '7m' }))).rejects.toThrow(
      /binance has no 7m candles; it offers 1s, 1m/,
    );
  });

  it('sleeps the rate limit itself when ccxt throttling is off', async () => {
    const out = freshOut();
    const started = performance.now();

    await fetchCandles(
      options(out, {
        createExchange: () => {
          const exchange = stub.createExchange();
          exchange.enableRateLimit = false;
          exchange.rateLimit = 150;
          return exchange;
        },
      }),
    );

    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('refuses to append to a file it did not write', async () => {
    const out = freshOut();
    writeFileSync(out, 'date,price\n2024-01-01,1\n');

    await expect(fetchCandles(options(out))).rejects.toThrow(/was not written by data fetch/);
  });

  it('rejects an exchange id ccxt does not know', async () => {
    await expect(
      fetchCandles(options(freshOut(), { exchange: 'nope', createExchange: undefined })),
    ).rejects.toThrow(/"nope" is not a ccxt exchange id/);
  });

  it('pages and resumes calendar-month candles by calendar month', async () => {
    const months = 32;
    const time = Float64Array.from({ length: months }, (_, i) => addMonths(Date.UTC(2020, 0, 1), i));
    const flat = new Float64Array(months).fill(1);
    const monthly = {
      ...served,
      timeframe: '1M',
      time,
      open: flat,
      high: flat,
      low: flat,
      close: flat,
      volume: flat,
    };
    const monthStub = await startBinanceStub(monthly, 30 * 86_400_000);
    const out = freshOut();
    const controller = new AbortController();
    const monthOptions = (extra: Partial<FetchCandlesOptions>) =>
      options(out, {
        timeframe: '1M',
        since: Date.UTC(2020, 0, 1),
        until: Date.UTC(2030, 0, 1),
        now: () => Date.UTC(2022, 6, 15),
        pageSize: 10,
        createExchange: () => monthStub.createExchange(),
        ...extra,
      });
    try {
      await expect(
        fetchCandles(monthOptions({ signal: controller.signal, onProgress: () => controller.abort() })),
      ).rejects.toBeInstanceOf(FetchAbortedError);
      const resumed = await fetchCandles(monthOptions({}));

      // July 2022 is still open on July 15th, so the file ends with June 2022.
      const got = parseCandlesCsv(readFileSync(out, 'utf8'), { symbol: 'BTC/USDT', file: out });
      expect(resumed.from).toBe(Date.UTC(2020, 10, 1));
      expect(got.report.timeframe).toBe('1M');
      expect(Array.from(got.series.time)).toEqual(
        Array.from(time.slice(0, 30)).filter((t) => t < Date.UTC(2022, 6, 1)),
      );
    } finally {
      await monthStub.close();
    }
  });
});
