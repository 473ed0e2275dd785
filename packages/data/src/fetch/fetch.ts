// `data fetch`: downloads candles from an exchange through ccxt into a CSV, page by page,
// resumable, rate-limited, retrying transient failures, refusing malformed pages.
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readSync,
  writeFileSync,
  appendFileSync,
  fstatSync,
} from 'node:fs';
import { MONTH_MS } from '@candleflow/strategy-dsl';
import type { Exchange, OHLCV } from 'ccxt';
import { requireTimeframeStep, stepForward } from '../timeframe';

export const FETCH_CSV_HEADER = 'timestamp,open,high,low,close,volume';

export interface FetchCandlesOptions {
  /** ccxt exchange id, e.g. "binance". */
  readonly exchange: string;
  /** Unified symbol, e.g. "BTC/USDT". */
  readonly symbol: string;
  /** A timeframe the exchange offers, e.g. "1m", "1d", or "1M" (calendar months). */
  readonly timeframe: string;
  /** Open time (UTC ms) of the first bar wanted. Ignored when resuming an existing file. */
  readonly since: number;
  /** Bars opening at or after this time (UTC ms) are not fetched; default now. */
  readonly until?: number;
  /** CSV to write (epoch-ms timestamps); appended to when it exists. */
  readonly out: string;
  /** Called after each page: bar slots covered so far and in total (gaps count as covered). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Passed to the ccxt constructor (apiKey is not needed: candles are public). */
  readonly exchangeOptions?: Record<string, unknown>;
  /** Builds the exchange; tests point one at a local server. Default: new ccxt[id](options). */
  readonly createExchange?: (id: string) => Exchange;
  /** Candles per request; default 1000. */
  readonly pageSize?: number;
  /** Retries of a transient failure before giving up; default 5. */
  readonly retries?: number;
  /** First retry delay, doubling each time (at least the exchange's rateLimit); default 1000. */
  readonly retryDelayMs?: number;
  /** Stops after the current page; the file stays valid and a later call resumes it. */
  readonly signal?: AbortSignal;
  /** Clock, for replays and tests; default Date.now. Bars still open at this time are not written. */
  readonly now?: () => number;
}

export interface FetchCandlesResult {
  /** Bars appended by this call. */
  readonly written: number;
  /** Time the first request started from; differs from since when resuming. */
  readonly from: number;
  /** Open time of the last bar in the file, or null when it holds none. */
  readonly lastTime: number | null;
  readonly resumed: boolean;
  readonly requests: number;
  /** Bytes of an unfinished last line (an earlier crash mid-write) that were cut off. */
  readonly repairedBytes: number;
}

export class FetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchError';
  }
}

export class FetchAbortedError extends FetchError {
  constructor(
    readonly written: number,
    out: string,
  ) {
    super(`fetch stopped after ${written} new bars; ${out} is complete up to there; run it again to resume`);
    this.name = 'FetchAbortedError';
  }
}

export async function fetchCandles(options: FetchCandlesOptions): Promise<FetchCandlesResult> {
  const step = requireTimeframeStep(options.timeframe);
  // Progress only: calendar months are counted at their mean length.
  const tf = step.kind === 'fixed' ? step.ms : MONTH_MS;
  const next = (time: number, bars = 1) => stepForward(step, time, bars);
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 1000;
  // ccxt is large (about 80 MB of heap): loaded on first use, so importing @candleflow/data stays light.
  const ccxt = await loadCcxt();
  const exchange = options.createExchange?.(options.exchange) ?? createDefaultExchange(ccxt, options);
  const end = Math.min(options.until ?? Number.POSITIVE_INFINITY, now());
  const existing = prepareOutput(options.out);
  const resumed = existing.lastTime !== null;
  let cursor = existing.lastTime === null ? options.since : next(existing.lastTime);
  const from = cursor;
  const origin = Math.min(options.since, cursor);
  const total = Math.max(0, Math.ceil((end - origin) / tf));
  let written = 0;
  let requests = 0;
  let lastTime = existing.lastTime;

  const retry = <T>(what: string, call: () => Promise<T>) =>
    withRetries(what, call, {
      retries: options.retries ?? 5,
      delayMs: Math.max(options.retryDelayMs ?? 1000, exchange.rateLimit ?? 0),
      signal: options.signal,
      aborted: () => new FetchAbortedError(written, options.out),
      retryable: (error) => error instanceof ccxt.OperationFailed,
    });

  await retry(`loading ${options.exchange} markets`, () => exchange.loadMarkets());
  if (exchange.timeframes && !(options.timeframe in exchange.timeframes)) {
    throw new FetchError(
      `${options.exchange} has no ${options.timeframe} candles; it offers ${Object.keys(exchange.timeframes).join(', ')}`,
    );
  }
  while (cursor < end) {
    if (options.signal?.aborted) throw new FetchAbortedError(written, options.out);
    if (requests > 0 && !exchange.enableRateLimit) await sleep(exchange.rateLimit ?? 0, options.signal);
    const page = await retry(
      `fetching ${options.symbol} ${options.timeframe} candles from ${iso(cursor)}`,
      () => exchange.fetchOHLCV(options.symbol, options.timeframe, cursor, pageSize),
    );
    requests++;
    validatePage(page, cursor, options);
    // Only bars that have closed: a still-open bar would change after it was written.
    const closedBefore = now();
    const rows = page.filter(
      (c) => (c[0] as number) >= cursor && (c[0] as number) < end && next(c[0] as number) <= closedBefore,
    );
    if (rows.length === 0) {
      // An empty page may be a long outage on exchanges that answer per time window: skip ahead.
      if (page.length === 0) {
        cursor = next(cursor, pageSize);
        continue;
      }
      const newest = page[page.length - 1]?.[0] as number;
      if (newest < cursor) {
        throw new FetchError(
          `${options.exchange} answered a request for ${options.symbol} candles from ${iso(cursor)} with older ones (up to ${iso(newest)}); it may not support paging by time`,
        );
      }
      break;
    }
    appendFileSync(options.out, rows.map((c) => `${c.slice(0, 6).join(',')}\n`).join(''));
    written += rows.length;
    lastTime = rows[rows.length - 1]?.[0] as number;
    cursor = next(lastTime);
    options.onProgress?.(Math.min(total, Math.round((cursor - origin) / tf)), total);
    if (options.signal?.aborted) throw new FetchAbortedError(written, options.out);
  }
  options.onProgress?.(total, total);
  return { written, from, lastTime, resumed, requests, repairedBytes: existing.repairedBytes };
}

type Ccxt = typeof import('ccxt').default;

let ccxtModule: Promise<Ccxt> | null = null;

function loadCcxt(): Promise<Ccxt> {
  ccxtModule ??= import('ccxt').then((module) => module.default);
  return ccxtModule;
}

function createDefaultExchange(ccxt: Ccxt, options: FetchCandlesOptions): Exchange {
  const Constructor = (ccxt as unknown as Record<string, new (config: object) => Exchange>)[options.exchange];
  if (!ccxt.exchanges.includes(options.exchange) || Constructor === undefined) {
    throw new FetchError(
      `"${options.exchange}" is not a ccxt exchange id; examples: binance, kraken, bybit, okx`,
    );
  }
  return new Constructor({ enableRateLimit: true, ...options.exchangeOptions });
}

function validatePage(page: OHLCV[], cursor: number, options: FetchCandlesOptions): void {
  let previous = Number.NEGATIVE_INFINITY;
  for (const candle of page) {
    const [time, ...values] = candle;
    if (
      candle.length < 6 ||
      typeof time !== 'number' ||
      !values.slice(0, 5).every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new FetchError(
        `${options.exchange} returned a malformed ${options.symbol} candle near ${iso(cursor)}: ${JSON.stringify(candle)}`,
      );
    }
    if (time <= previous) {
      throw new FetchError(
        `${options.exchange} returned ${options.symbol} candles out of order or repeated (${iso(time)} after ${iso(previous)}); nothing from this page was written`,
      );
    }
    previous = time;
  }
}

interface ExistingOutput {
  readonly lastTime: number | null;
  readonly repairedBytes: number;
}

/** Creates the CSV, or finds where an existing one ends (cutting an unfinished last line). */
function prepareOutput(out: string): ExistingOutput {
  if (!existsSync(out)) {
    writeFileSync(out, `${FETCH_CSV_HEADER}\n`);
    return { lastTime: null, repairedBytes: 0 };
  }
  const fd = openSync(out, 'r+');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, FETCH_CSV_HEADER.length + 1));
    readSync(fd, head, 0, head.length, 0);
    if (head.toString('utf8') !== `${FETCH_CSV_HEADER}\n`) {
      throw new FetchError(
        `${out} exists but was not written by data fetch (its first line is not "${FETCH_CSV_HEADER}"); choose another --out or remove it`,
      );
    }
    const tailLength = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    const text = tail.toString('latin1');
    const cut = text.length - 1 - text.lastIndexOf('\n');
    if (cut > 0) ftruncateSync(fd, size - cut);
    const lines = text.slice(0, text.length - cut).split('\n');
    const last = lines.at(-2) ?? '';
    if (last === FETCH_CSV_HEADER || last === '') return { lastTime: null, repairedBytes: cut };
    const time = Number(last.slice(0, last.indexOf(',')));
    if (!Number.isFinite(time))
      throw new FetchError(`${out}: cannot read the last line "${last}" to resume from`);
    return { lastTime: time, repairedBytes: cut };
  } finally {
    closeSync(fd);
  }
}

async function withRetries<T>(
  what: string,
  call: () => Promise<T>,
  settings: {
    retries: number;
    delayMs: number;
    signal: AbortSignal | undefined;
    aborted: () => Error;
    retryable: (error: unknown) => boolean;
  },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      // ccxt's OperationFailed is its family of errors worth retrying: NetworkError, timeouts, rate
      // limits (DDoSProtection, RateLimitExceeded), ExchangeNotAvailable (5xx), an exchange's
      // "unknown error". ExchangeError and the rest (a bad symbol, a bad request) will not heal.
      if (!settings.retryable(error)) {
        throw new FetchError(`${what} failed: ${(error as Error).message}`, { cause: error });
      }
      if (attempt >= settings.retries) {
        throw new FetchError(
          `${what}: gave up after ${attempt + 1} tries (${(error as Error).constructor.name}: ${(error as Error).message}); run again later to resume`,
          {
            cause: error,
          },
        );
      }
      await sleep(Math.min(60_000, settings.delayMs * 2 ** attempt), settings.signal);
      if (settings.signal?.aborted) throw settings.aborted();
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function iso(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString() : String(time);
}
