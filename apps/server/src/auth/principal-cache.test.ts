// The principal cache: hits skip the credential lookup, and logout, token revocation, role change and
// password change take effect at once in this process even while an entry is warm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  GOOD_PASSWORD,
  mutate,
  query,
  signUp,
  startTestServer,
  type TestServer,
} from '../test-support/server';
import { PrincipalCache, principalCache } from './principal-cache';
import type { SessionRecord } from './sessions';

type Me = { user: { id: string; role: string } | null; via?: string };

const user = { id: 'u1', email: 'u@example.com', role: 'trader' as const, createdAt: new Date(0) };
const session: SessionRecord = { id: 's1', userId: 'u1', expiresAt: new Date(1e13), csrfSecret: 'x' };
const token = { user, tokenId: 't1', scopes: ['read'], expiresAt: null, lastUsedAt: new Date() };

describe('PrincipalCache', () => {
  it('drops a lookup that raced an invalidation', () => {
    const cache = new PrincipalCache();
    const generation = cache.generation;
    cache.invalidateSession('s1');
    cache.putSession('s1', generation, { user, session });
    expect(cache.getSession('s1')).toBeUndefined();
    cache.putSession('s1', cache.generation, { user, session });
    expect(cache.getSession('s1')?.user).toBe(user);
  });

  it('invalidates by session, by token id and by user', () => {
    const cache = new PrincipalCache();
    cache.putSession('s1', cache.generation, { user, session });
    cache.putToken('h1', cache.generation, token);
    cache.invalidateToken('t1');
    expect(cache.getToken('h1')).toBeUndefined();
    expect(cache.getSession('s1')).toBeDefined();
    cache.invalidateSession('s1');
    expect(cache.getSession('s1')).toBeUndefined();
    cache.putSession('s1', cache.generation, { user, session });
    cache.putToken('h1', cache.generation, token);
    cache.invalidateUser('u1');
    expect(cache.size).toBe(0);
  });

  it('expires entries after the TTL and stays bounded', async () => {
    const short = new PrincipalCache(20, 2);
    short.putSession('a', short.generation, { user, session });
    short.putSession('b', short.generation, { user, session });
    short.putSession('c', short.generation, { user, session });
    expect(short.size).toBe(2);
    expect(short.getSession('a')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(short.getSession('c')).toBeUndefined();
  });
});

describe('principal cache in the server', () => {
  let server: TestServer;
  let admin: { id: string; caller: Caller };
  beforeAll(async () => {
    server = await startTestServer();
    const a = await signUp(server.app, 'root@example.com');
    admin = { id: a.user.id, caller: a.caller };
  });
  afterAll(async () => {
    await server.close();
  });

  const me = (caller: Caller) => query<Me>(server.app, 'auth.me', undefined, caller);
  const cache = () => principalCache(server.db.prisma);

  it('serves a warm API token from the cache and refuses it at once when revoked', async () => {
    const created = await mutate<{ id: string; token: string }>(
      server.app,
      'apiTokens.create',
      { name: 'warm' },
      admin.caller,
    );
    const bearer = { token: created.data.token };
    expect((await me(bearer)).data.user?.id).toBe(admin.id);
    expect((await me(bearer)).data.user?.id).toBe(admin.id);
    expect(cache().size).toBeGreaterThan(0);

    expect((await mutate(server.app, 'apiTokens.revoke', { id: created.data.id }, admin.caller)).status).toBe(
      200,
    );
    const refused = await query(server.app, 'apiTokens.list', undefined, bearer);
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toMatch(/invalid, expired or revoked/);
  });

  it('ends a warm session at once on logout', async () => {
    const { caller } = await signUp(server.app, 'leaver@example.com');
    expect((await me(caller)).data.user).not.toBeNull();
    expect((await me(caller)).data.user).not.toBeNull();
    expect((await mutate(server.app, 'auth.logout', undefined, caller)).status).toBe(200);
    expect((await me(caller)).data.user).toBeNull();
  });

  it('applies a role change at once to warm sessions and tokens', async () => {
    const t = await signUp(server.app, 'demoted@example.com');
    const created = await mutate<{ id: string; token: string }>(
      server.app,
      'apiTokens.create',
      { name: 'demoted' },
      t.caller,
    );
    const bearer = { token: created.data.token };
    expect((await me(t.caller)).data.user?.role).toBe('trader');
    expect((await me(bearer)).data.user?.role).toBe('trader');
    const res = await mutate(
      server.app,
      'users.setRole',
      { userId: t.user.id, role: 'viewer' },
      admin.caller,
    );
    expect(res.status).toBe(200);
    expect((await me(t.caller)).data.user?.role).toBe('viewer');
    expect((await me(bearer)).data.user?.role).toBe('viewer');
  });

  it('signs out other warm sessions at once on a password change', async () => {
    const first = await signUp(server.app, 'changer@example.com');
    const login = await mutate<{ csrfToken: string }>(server.app, 'auth.login', {
      email: 'changer@example.com',
      password: GOOD_PASSWORD,
    });
    const cookie = login.res.cookies.find((c) => c.name === 'cf_session')?.value;
    const other: Caller = { session: cookie, csrf: login.data.csrfToken };
    expect((await me(other)).data.user).not.toBeNull();
    const changed = await mutate(
      server.app,
      'auth.changePassword',
      { currentPassword: GOOD_PASSWORD, newPassword: 'a brand new long passphrase' },
      first.caller,
    );
    expect(changed.status).toBe(200);
    expect((await me(other)).data.user).toBeNull();
    expect((await me(first.caller)).data.user).not.toBeNull();
  });
});
