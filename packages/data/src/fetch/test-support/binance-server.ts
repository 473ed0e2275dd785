// A local stand-in for Binance spot's public REST API (exchangeInfo and klines), serving given
// candles, with scripted faults, so tests run the real ccxt client without the internet.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ccxt, { type Exchange } from 'ccxt';
import type { CandleSeries } from '../../types';

export interface Fault {
  readonly status: number;
  readonly body: unknown;
}

export const TOO_MANY_REQUESTS: Fault = { status: 429, body: { code: -1003, msg: 'Too many requests.' } };
/** A gateway's 500 with a plain-text body, as when the exchange is overloaded. */
export const SERVER_ERROR: Fault = { status: 500, body: 'Internal Server Error' };
/** Binance's own 500: "unknown error, the request may be retried". */
export const UNKNOWN_ERROR: Fault = { status: 500, body: { code: -1000, msg: 'An unknown error occurred.' } };
export const BAD_SYMBOL: Fault = { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };

export interface BinanceStub {
  readonly baseUrl: string;
  /** Faults to answer the next klines requests with, in order. */
  readonly faults: Fault[];
  /** Query strings of every klines request. */
  readonly klinesRequests: URLSearchParams[];
  /** Every path requested. */
  readonly paths: string[];
  /** A ccxt binance client whose API urls all point at this server. */
  createExchange(): Exchange;
  close(): Promise<void>;
}

const EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 0,
  rateLimits: [],
  exchangeFilters: [],
  symbols: [
    {
      symbol: 'BTCUSDT',
      status: 'TRADING',
      baseAsset: 'BTC',
      baseAssetPrecision: 8,
      quoteAsset: 'USDT',
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'MARKET'],
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000.00', tickSize: '0.01' },
        { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000.00', stepSize: '0.00001' },
      ],
      permissions: [],
      permissionSets: [['SPOT']],
    },
  ],
};

export async function startBinanceStub(series: CandleSeries, intervalMs: number): Promise<BinanceStub> {
  const faults: Fault[] = [];
  const klinesRequests: URLSearchParams[] = [];
  const paths: string[] = [];
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === 'string';
    res.writeHead(status, { 'content-type': text ? 'text/plain' : 'application/json' });
    res.end(text ? body : JSON.stringify(body));
  };
  const klines = (query: URLSearchParams): unknown[] => {
    const start = Number(query.get('startTime') ?? 0);
    const endTime = query.has('endTime') ? Number(query.get('endTime')) : Number.POSITIVE_INFINITY;
    const limit = Math.min(1000, Number(query.get('limit') ?? 500));
    const rows: unknown[] = [];
    for (let i = 0; i < series.time.length && rows.length < limit; i++) {
      const t = series.time[i] ?? 0;
      if (t < start || t > endTime) continue;
      const v = series.volume[i] ?? 0;
      rows.push([
        t,
        `${series.open[i]}`,
        `${series.high[i]}`,
        `${series.low[i]}`,
        `${series.close[i]}`,
        `${v}`,
        t + intervalMs - 1,
        `${v * (series.close[i] ?? 0)}`,
        1,
        '0',
        '0',
        '0',
      ]);
    }
    return rows;
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    paths.push(url.pathname);
    if (url.pathname === '/api/v3/exchangeInfo')
      return send(res, 200, { ...EXCHANGE_INFO, serverTime: Date.now() });
    if (url.pathname === '/api/v3/klines') {
      klinesRequests.push(url.searchParams);
      const fault = faults.shift();
      if (fault) return send(res, fault.status, fault.body);
      if (url.searchParams.get('symbol') !== 'BTCUSDT') return send(res, BAD_SYMBOL.status, BAD_SYMBOL.body);
      return send(res, 200, klines(url.searchParams));
    }
    send(res, 404, { code: -1, msg: `no stub for ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    faults,
    klinesRequests,
    paths,
    createExchange() {
      const exchange = new ccxt.binance({
        enableRateLimit: true,
        options: { fetchCurrencies: false, fetchMargins: false, fetchMarkets: { types: ['spot'] } },
      });
      const api = exchange.urls.api as Record<string, string>;
      for (const key of Object.keys(api)) api[key] = (api[key] ?? '').replace(/^https:\/\/[^/]+/, baseUrl);
      return exchange;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
