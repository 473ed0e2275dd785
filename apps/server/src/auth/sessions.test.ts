// Session expiry and sliding renewal, driven through the server with a movable clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, signUp, startTestServer, type TestServer } from '../test-support/server';
import { DAY_MS, SESSION_COOKIE } from './sessions';
import { hashToken } from './tokens';

interface Me {
  user: { email: string } | null;
  sessionExpiresAt: string | null;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { SESSION_TTL_DAYS: '30' } });
});
afterAll(async () => {
  await server.close();
});

const storedExpiry = async (token: string) =>
  (await server.db.prisma.session.findUnique({ where: { id: hashToken(token) } }))?.expiresAt.getTime();

describe('session lifetime', () => {
  it('keeps the expiry while more than half the lifetime remains', async () => {
    const { caller } = await signUp(server.app, 'steady@example.com');
    const created = server.now().getTime();
    expect(await storedExpiry(caller.session!)).toBe(created + 30 * DAY_MS);

    server.advance(14 * DAY_MS);
    const me = await query<Me>(server.app, 'auth.me', undefined, caller);
    expect(me.data.user?.email).toBe('steady@example.com');
    expect(me.res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    expect(await storedExpiry(caller.session!)).toBe(created + 30 * DAY_MS);
  });

  it('slides the expiry to a full lifetime once less than half remains, and re-sends the cookie', async () => {
    const { caller } = await signUp(server.app, 'sliding@example.com');
    server.advance(16 * DAY_MS);
    const renewedAt = server.now().getTime();
    const me = await query<Me>(server.app, 'auth.me', undefined, caller);
    expect(me.data.user?.email).toBe('sliding@example.com');
    expect(await storedExpiry(caller.session!)).toBe(renewedAt + 30 * DAY_MS);
    const cookie = me.res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie?.value).toBe(caller.session);
    expect((cookie?.expires as Date | undefined)?.getTime()).toBe(renewedAt + 30 * DAY_MS);

    // Used again 29 days later it is still alive: the renewal counted.
    server.advance(29 * DAY_MS);
    expect((await query<Me>(server.app, 'auth.me', undefined, caller)).data.user?.email).toBe(
      'sliding@example.com',
    );
  });

  it('treats an expired session as signed out, deletes it and clears the cookie', async () => {
    const { caller } = await signUp(server.app, 'idle@example.com');
    server.advance(30 * DAY_MS);
    const me = await query<Me>(server.app, 'auth.me', undefined, caller);
    expect(me.data.user).toBeNull();
    expect(me.res.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    expect(await storedExpiry(caller.session!)).toBeUndefined();

    const protectedCall = await query(server.app, 'apiTokens.list', undefined, caller);
    expect(protectedCall.status).toBe(401);
    expect(protectedCall.error?.data.code).toBe('UNAUTHORIZED');
  });
});
