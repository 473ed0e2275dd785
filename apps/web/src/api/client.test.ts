import { describe, expect, it, vi } from 'vitest';
import { createCandleflowClient, websocketUrl } from './client';

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | null;
  readonly credentials: RequestCredentials | undefined;
}

/** A fetch that records requests and answers every call in the batch with `{ ok: true }`. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    sent.push({
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
      credentials: init?.credentials,
    });
    const calls = decodeURIComponent(new URL(url).pathname.split('/trpc/')[1] ?? '').split(',');
    const results = calls.map(() => ({ result: { data: { ok: true } } }));
    return new Response(JSON.stringify(results), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('createCandleflowClient', () => {
  it('sends the CSRF token from its source on mutations', async () => {
    const sent: Sent[] = [];
    const { client } = createCandleflowClient({
      origin: 'http://studio.test',
      csrfToken: () => 'token-123',
      fetch: recordingFetch(sent),
    });

    await client.auth.logout.mutate();

    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.url).toMatch(/^http:\/\/studio\.test\/trpc\/auth\.logout/);
    expect(sent[0]?.headers.get('x-csrf-token')).toBe('token-123');
  });

  it('keeps the token off queries, which cannot change anything', async () => {
    const sent: Sent[] = [];
    const { client } = createCandleflowClient({
      origin: 'http://studio.test',
      csrfToken: () => 'token-123',
      fetch: recordingFetch(sent),
    });

    await client.auth.me.query();

    expect(sent[0]?.method).toBe('GET');
    expect(sent[0]?.headers.get('x-csrf-token')).toBeNull();
  });

  it('reads the token at call time, so a sign-in in between is picked up', async () => {
    const sent: Sent[] = [];
    let token: string | null = null;
    const { client } = createCandleflowClient({
      origin: 'http://studio.test',
      csrfToken: () => token,
      fetch: recordingFetch(sent),
    });

    await client.auth.logout.mutate();
    token = 'after-login';
    await client.auth.logout.mutate();

    expect(sent[0]?.headers.get('x-csrf-token')).toBeNull();
    expect(sent[1]?.headers.get('x-csrf-token')).toBe('after-login');
  });

  it('batches queries made in the same tick into one request with cookies', async () => {
    const sent: Sent[] = [];
    const { client } = createCandleflowClient({ origin: 'http://studio.test', fetch: recordingFetch(sent) });

    await Promise.all([client.auth.me.query(), client.apiTokens.list.query()]);

    expect(sent).toHaveLength(1);
    expect(decodeURIComponent(sent[0]?.url ?? '')).toContain('/trpc/auth.me,apiTokens.list?batch=1');
    expect(sent[0]?.credentials).toBe('same-origin');
  });

  it('opens the WebSocket only for a subscription and sends the CSRF token as a connection param', async () => {
    const sockets: FakeSocket[] = [];
    class FakeSocket extends EventTarget {
      static readonly OPEN = 1;
      readyState = 0;
      readonly sent: string[] = [];
      constructor(readonly url: string) {
        super();
        sockets.push(this);
        setTimeout(() => {
          this.readyState = 1;
          this.dispatchEvent(new Event('open'));
        }, 0);
      }
      send(data: string) {
        this.sent.push(data);
      }
      close() {
        this.readyState = 3;
        this.dispatchEvent(new Event('close'));
      }
    }
    const connection = createCandleflowClient({
      origin: 'http://studio.test',
      csrfToken: () => 'ws-token',
      fetch: recordingFetch([]),
      WebSocket: FakeSocket as unknown as typeof WebSocket,
    });
    await connection.client.auth.me.query();
    expect(sockets).toHaveLength(0);

    const subscription = connection.client.backtests.progress.subscribe(
      { id: 'run-1' },
      { onData: () => undefined },
    );
    await vi.waitFor(() => expect(sockets[0]?.sent.length).toBeGreaterThanOrEqual(2));

    expect(sockets[0]?.url).toBe('ws://studio.test/trpc?connectionParams=1');
    expect(JSON.parse(sockets[0]?.sent[0] ?? '{}')).toEqual({
      method: 'connectionParams',
      data: { csrfToken: 'ws-token' },
    });
    expect(JSON.parse(sockets[0]?.sent[1] ?? '{}')).toMatchObject({
      method: 'subscription',
      params: { path: 'backtests.progress', input: { id: 'run-1' } },
    });
    subscription.unsubscribe();
    connection.resetRealtime();
  });
});

describe('websocketUrl', () => {
  it('maps http to ws and https to wss on the /trpc path', () => {
    expect(websocketUrl('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/trpc');
    expect(websocketUrl('https://candleflow.example')).toBe('wss://candleflow.example/trpc');
  });
});
