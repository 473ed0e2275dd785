// API tokens end to end: shown once, hashed at rest, authenticate scripts, stop working when
// revoked or expired, and respect their scopes.
import { BACKENDS } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../auth/sessions';
import { hashToken } from '../../auth/tokens';
import {
  type Caller,
  mutate,
  query,
  signUp,
  startTestServer,
  type TestServer,
} from '../../test-support/server';

interface Created {
  id: string;
  token: string;
  prefix: string;
  scopes: string[];
}

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  let alice: { id: string; caller: Caller };
  let bob: Caller;
  beforeAll(async () => {
    server = await startTestServer({ backend });
    const a = await signUp(server.app, 'alice@example.com');
    alice = { id: a.user.id, caller: a.caller };
    bob = (await signUp(server.app, 'bob@example.com')).caller;
  });
  afterAll(async () => {
    await server.close();
  });

  const create = (caller: Caller, input: Record<string, unknown>) =>
    mutate<Created>(server.app, 'apiTokens.create', input, caller);

  describe('apiTokens', () => {
    it('returns the token once and stores only its hash and prefix', async () => {
      const res = await create(alice.caller, { name: 'nightly script' });
      expect(res.status).toBe(200);
      expect(res.data.token).toMatch(/^cfk_[a-z2-7]{32}$/);
      expect(res.data.token.startsWith(res.data.prefix)).toBe(true);
      const row = await server.db.prisma.apiToken.findUnique({ where: { id: res.data.id } });
      expect(row?.tokenHash).toBe(hashToken(res.data.token));
      expect(JSON.stringify(row)).not.toContain(res.data.token);

      const list = await query<Array<Record<string, unknown>>>(
        server.app,
        'apiTokens.list',
        undefined,
        alice.caller,
      );
      expect(list.data).toHaveLength(1);
      expect(list.data[0]).toMatchObject({
        id: res.data.id,
        name: 'nightly script',
        prefix: res.data.prefix,
      });
      expect(JSON.stringify(list.data)).not.toContain(res.data.token);
      expect(list.data[0]).not.toHaveProperty('tokenHash');
      expect(
        await server.db.prisma.auditEvent.count({
          where: { action: 'api_token.create', targetId: res.data.id },
        }),
      ).toBe(1);
    });

    it('authenticates a script with Authorization: Bearer, no cookie or CSRF token needed', async () => {
      const { data } = await create(alice.caller, { name: 'bot' });
      const me = await query<{ user: { email: string }; via: string }>(server.app, 'auth.me', undefined, {
        token: data.token,
      });
      expect(me.data).toMatchObject({ user: { email: 'alice@example.com' }, via: 'apiToken' });
      const write = await mutate(server.app, 'auth.logout', undefined, {
        token: data.token,
        origin: 'https://ci.example',
      });
      expect(write.status).toBe(200);
      const used = await server.db.prisma.apiToken.findUnique({ where: { id: data.id } });
      expect(used?.lastUsedAt?.getTime()).toBe(server.now().getTime());
    });

    it('stops a revoked token at once with UNAUTHORIZED', async () => {
      const { data } = await create(alice.caller, { name: 'to revoke' });
      const revoked = await mutate<{ revokedAt: string }>(
        server.app,
        'apiTokens.revoke',
        { id: data.id },
        alice.caller,
      );
      expect(revoked.status).toBe(200);
      const res = await query(server.app, 'apiTokens.list', undefined, { token: data.token });
      expect(res.status).toBe(401);
      expect(res.error?.data.code).toBe('UNAUTHORIZED');
      expect(res.error?.message).toMatch(/invalid, expired or revoked/);
      expect(
        await server.db.prisma.auditEvent.count({ where: { action: 'api_token.revoke', targetId: data.id } }),
      ).toBe(1);
    });

    it('stops an expired token', async () => {
      const { data } = await create(alice.caller, { name: 'short-lived', expiresInDays: 1 });
      expect((await query(server.app, 'apiTokens.list', undefined, { token: data.token })).status).toBe(200);
      server.advance(DAY_MS + 1);
      expect((await query(server.app, 'apiTokens.list', undefined, { token: data.token })).status).toBe(401);
    });

    it('refuses forged and malformed bearer tokens the same way', async () => {
      for (const token of [`cfk_${'a'.repeat(32)}`, 'garbage', '']) {
        const res = await query(server.app, 'apiTokens.list', undefined, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(401);
        expect(res.error?.data.code).toBe('UNAUTHORIZED');
      }
    });

    it('keeps read-only tokens away from mutations', async () => {
      const { data } = await create(alice.caller, { name: 'reader', scopes: ['read'] });
      expect((await query(server.app, 'apiTokens.list', undefined, { token: data.token })).status).toBe(200);
      const res = await mutate(server.app, 'apiTokens.revoke', { id: data.id }, { token: data.token });
      expect(res.status).toBe(403);
      expect(res.error?.message).toMatch(/read-only/);
    });

    it('does not let a token mint more tokens', async () => {
      const { data } = await create(alice.caller, { name: 'minter' });
      const res = await create({ token: data.token }, { name: 'child' });
      expect(res.status).toBe(403);
      expect(res.error?.data.code).toBe('FORBIDDEN');
    });

    it("answers NOT_FOUND for another user's token and leaves it working", async () => {
      const { data } = await create(bob, { name: "bob's" });
      const res = await mutate(server.app, 'apiTokens.revoke', { id: data.id }, alice.caller);
      expect(res.status).toBe(404);
      expect(res.error?.data.code).toBe('NOT_FOUND');
      expect((await server.db.prisma.apiToken.findUnique({ where: { id: data.id } }))?.revokedAt).toBeNull();
      const aliceList = await query<Array<{ id: string }>>(
        server.app,
        'apiTokens.list',
        undefined,
        alice.caller,
      );
      expect(aliceList.data.map((t) => t.id)).not.toContain(data.id);
    });

    it('validates names and scopes', async () => {
      const res = await create(alice.caller, { name: '', scopes: ['root'] });
      expect(res.error?.data.code).toBe('VALIDATION_FAILED');
      const paths = (res.error!.data.details as { issues: Array<{ path: string }> }).issues.map(
        (i) => i.path,
      );
      expect(paths).toEqual(expect.arrayContaining(['name', 'scopes.0']));
    });
  });
});
