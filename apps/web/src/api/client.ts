// The studio's one tRPC client: queries and mutations batched over HTTP at /trpc, subscriptions
// (backtest progress) over a lazily opened WebSocket at the same path.
import type { AppRouter } from '@candleflow/server';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClient,
  type TRPCLink,
  wsLink,
} from '@trpc/client';
import { browserCsrfToken, csrfHeaders } from './csrf';

export type { AppRouter };
export type CandleflowClient = TRPCClient<AppRouter>;

export interface ClientOptions {
  /** Absolute origin of the server, e.g. http://127.0.0.1:3000; defaults to the page's origin. */
  readonly origin?: string;
  /** Where the CSRF token comes from; defaults to the cf_csrf cookie. */
  readonly csrfToken?: () => string | null;
  readonly fetch?: typeof fetch;
  readonly WebSocket?: typeof WebSocket;
}

const TRPC_PATH = '/trpc';

function pageOrigin(): string {
  return typeof location === 'undefined' ? 'http://127.0.0.1:3000' : location.origin;
}

/** ws:// for http:// and wss:// for https://, keeping host and port. */
export function websocketUrl(origin: string): string {
  return `${origin.replace(/^http/, 'ws')}${TRPC_PATH}`;
}

export interface CandleflowConnection {
  readonly client: CandleflowClient;
  /**
   * Drops the WebSocket so the next subscription reconnects with the current cookies: the server
   * reads the session at the WebSocket handshake, so a socket opened before sign-in stays anonymous.
   */
  resetRealtime(): void;
}

export function createCandleflowClient(options: ClientOptions = {}): CandleflowConnection {
  const origin = options.origin ?? pageOrigin();
  const csrfToken = options.csrfToken ?? browserCsrfToken;

  let ws: { close(): Promise<void> } | null = null;
  let wsOperationLink: ReturnType<TRPCLink<AppRouter>> | null = null;

  // A terminating link that builds its WebSocket on first use, so pages without subscriptions never
  // open one, and that can be rebuilt after sign-in or sign-out.
  const realtimeLink: TRPCLink<AppRouter> = (runtime) => (opts) => {
    if (!wsOperationLink) {
      const wsClient = createWSClient({
        url: websocketUrl(origin),
        connectionParams: () => {
          const token = csrfToken();
          return token ? { csrfToken: token } : {};
        },
        lazy: { enabled: true, closeMs: 10_000 },
        ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      });
      ws = wsClient;
      wsOperationLink = wsLink<AppRouter>({ client: wsClient })(runtime);
    }
    return wsOperationLink(opts);
  };

  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: realtimeLink,
        false: httpBatchLink({
          url: `${origin}${TRPC_PATH}`,
          headers: ({ opList }) =>
            csrfHeaders(
              opList.map((op) => op.type),
              csrfToken(),
            ),
          fetch: (url, init) =>
            (options.fetch ?? globalThis.fetch)(url, {
              ...(init as RequestInit),
              credentials: 'same-origin',
            }),
        }),
      }),
    ],
  });

  return {
    client,
    resetRealtime() {
      const open = ws;
      ws = null;
      wsOperationLink = null;
      // Closing finalises pending requests; a failure here only means the socket was already gone.
      void open?.close().catch(() => undefined);
    },
  };
}

const connection = createCandleflowClient();

/** The app-wide client: `await trpc.strategies.list.query({})`. */
export const trpc: CandleflowClient = connection.client;
/** Call after sign-in, sign-up and sign-out. */
export const resetRealtime = (): void => connection.resetRealtime();
