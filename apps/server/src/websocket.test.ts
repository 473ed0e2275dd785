// tRPC over WebSocket: subscriptions stream to signed-in users, cookie identity is refused from
// foreign origins (cross-site WebSocket hijacking), and cookie mutations need the CSRF token.
import type { AddressInfo } from 'node:net';
import { createTRPCClient, createWSClient, type TRPCClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authRouter } from './routers/auth';
import { SESSION_COOKIE } from './auth/sessions';
import { type Caller, signUp, startTestServer, type TestServer } from './test-support/server';
import { protectedProcedure, router, traderProcedure } from './trpc';

const wsRouter = router({
  auth: authRouter,
  ticks: protectedProcedure.subscription(async function* ({ ctx }) {
    for (let i = 1; i <= 3; i++) yield { n: i, user: ctx.user.email };
  }),
  bump: traderProcedure.mutation(() => 'bumped'),
});
type WsRouter = typeof wsRouter;

let server: TestServer;
let url: string;
let caller: Caller;
beforeAll(async () => {
  server = await startTestServer({ router: wsRouter });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/trpc`;
  caller = (await signUp(server.app, 'ws@example.com')).caller;
});
afterAll(async () => {
  await server.close();
});

function connect(headers: Record<string, string>, connectionParams: Record<string, string> | null = null) {
  class WithHeaders extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const wsClient = createWSClient({
    url,
    // ws with headers stands in for the browser WebSocket the option is typed as.
    WebSocket: WithHeaders as never,
    connectionParams,
    retryDelayMs: () => 60_000,
  });
  const client: TRPCClient<WsRouter> = createTRPCClient<WsRouter>({ links: [wsLink({ client: wsClient })] });
  return { client, close: () => wsClient.close() };
}

const cookie = () => `${SESSION_COOKIE}=${caller.session}`;
const sameOrigin = () => ({ cookie: cookie(), origin: `http://${new URL(url).host}` });

function collect(client: TRPCClient<WsRouter>): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const seen: unknown[] = [];
    client.ticks.subscribe(undefined, {
      onData: (value) => seen.push(value),
      onComplete: () => resolve(seen),
      onError: reject,
    });
  });
}

describe('tRPC over WebSocket', () => {
  it('streams a subscription to a signed-in user', async () => {
    const { client, close } = connect(sameOrigin());
    try {
      expect((await client.auth.me.query()).user?.email).toBe('ws@example.com');
      expect(await collect(client)).toEqual([1, 2, 3].map((n) => ({ n, user: 'ws@example.com' })));
    } finally {
      close();
    }
  });

  it('ignores the session cookie on a connection from a foreign origin', async () => {
    const { client, close } = connect({ cookie: cookie(), origin: 'https://evil.example' });
    try {
      expect((await client.auth.me.query()).user).toBeNull();
      await expect(collect(client)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    } finally {
      close();
    }
  });

  it('needs the CSRF token as a connection param for cookie mutations', async () => {
    const without = connect(sameOrigin());
    const withToken = connect(sameOrigin(), { csrfToken: caller.csrf! });
    try {
      await expect(without.client.bump.mutate()).rejects.toMatchObject({ data: { code: 'CSRF_FAILED' } });
      expect(await withToken.client.bump.mutate()).toBe('bumped');
    } finally {
      without.close();
      withToken.close();
    }
  });
});
