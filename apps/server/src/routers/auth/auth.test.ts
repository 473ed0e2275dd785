// Sign-up, login, logout, me and password change over real HTTP requests against a real database.
import { BACKENDS } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../auth/sessions';
import { hashToken } from '../../auth/tokens';
import {
  cookieValue,
  GOOD_PASSWORD,
  leaksInternals,
  mutate,
  query,
  signUp,
  startTestServer,
  type TestServer,
} from '../../test-support/server';

interface Me {
  user: { id: string; email: string; role: string } | null;
  via: string | null;
  csrfToken: string | null;
}

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(async () => {
    await server.close();
  });

  const auditActions = async (userId?: string) =>
    (
      await server.db.prisma.auditEvent.findMany({
        where: userId ? { userId } : {},
        orderBy: { createdAt: 'asc' },
      })
    ).map((e) => e.action);

  describe('auth.signUp', () => {
    it('makes the first account administrator and later ones traders, signed in with secure cookies', async () => {
      const first = await mutate<{ user: { role: string; email: string }; csrfToken: string }>(
        server.app,
        'auth.signUp',
        {
          email: '  Ada@Example.com ',
          password: GOOD_PASSWORD,
        },
      );
      expect(first.status).toBe(200);
      expect(first.data.user).toMatchObject({ email: 'ada@example.com', role: 'admin' });

      const session = first.res.cookies.find((c) => c.name === SESSION_COOKIE);
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(session?.value).toMatch(/^[a-z2-7]{32}$/);
      const csrf = first.res.cookies.find((c) => c.name === CSRF_COOKIE);
      expect(csrf?.httpOnly).toBeUndefined();
      expect(csrf?.value).toBe(first.data.csrfToken);

      // Only the hash of the token is stored.
      const row = await server.db.prisma.session.findUnique({ where: { id: hashToken(session!.value) } });
      expect(row).not.toBeNull();
      expect(await server.db.prisma.session.count({ where: { id: session!.value } })).toBe(0);

      const second = await signUp(server.app, 'bob@example.com');
      expect(second.user.role).toBe('trader');
      expect(await auditActions(second.user.id)).toEqual(['auth.sign_up']);
    });

    it('refuses a duplicate email with CONFLICT and writes nothing', async () => {
      const before = await server.db.prisma.user.count();
      const res = await mutate(server.app, 'auth.signUp', {
        email: 'ADA@example.com',
        password: GOOD_PASSWORD,
      });
      expect(res.status).toBe(409);
      expect(res.error?.data.code).toBe('CONFLICT');
      expect(await server.db.prisma.user.count()).toBe(before);
    });

    it.each([
      ['short', 'abc', /too short/],
      ['common', 'password123', /most common/],
      ['repetitive', 'aaaaaaaaaaaaaa', /different characters/],
      ['containing the email name', 'carol-secret-pass', /email name/],
    ])('rejects a %s password with a clear message', async (_label, password, message) => {
      const res = await mutate(server.app, 'auth.signUp', { email: 'carol@example.com', password });
      expect(res.status).toBe(400);
      expect(res.error?.data.code).toBe('VALIDATION_FAILED');
      expect(res.error?.message).toMatch(message);
      expect(res.error?.data.details).toMatchObject({ issues: [{ path: 'password' }] });
      expect(await server.db.prisma.user.count({ where: { email: 'carol@example.com' } })).toBe(0);
    });

    it('rejects a bad email and unknown fields', async () => {
      const bad = await mutate(server.app, 'auth.signUp', { email: 'not-an-email', password: GOOD_PASSWORD });
      expect(bad.error?.data).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'email' }] },
      });
      const extra = await mutate(server.app, 'auth.signUp', {
        email: 'dan@example.com',
        password: GOOD_PASSWORD,
        role: 'admin',
      });
      expect(extra.error?.data).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'role' }] },
      });
    });
  });

  describe('auth.login and auth.me', () => {
    it('signs in with the right password and me reports the user and the CSRF token', async () => {
      await signUp(server.app, 'erin@example.com');
      const res = await mutate<{ user: { email: string }; csrfToken: string }>(server.app, 'auth.login', {
        email: 'erin@example.com',
        password: GOOD_PASSWORD,
      });
      expect(res.status).toBe(200);
      const session = cookieValue(res.res, SESSION_COOKIE);
      const me = await query<Me>(server.app, 'auth.me', undefined, { session });
      expect(me.data).toMatchObject({ user: { email: 'erin@example.com', role: 'trader' }, via: 'session' });
      expect(me.data.csrfToken).toBe(res.data.csrfToken);
      expect(await auditActions(me.data.user!.id)).toEqual(['auth.sign_up', 'auth.login']);
    });

    it('answers a wrong password and an unknown email the same way, and audits both', async () => {
      const wrong = await mutate(server.app, 'auth.login', {
        email: 'erin@example.com',
        password: 'wrong password!!',
      });
      const unknown = await mutate(server.app, 'auth.login', {
        email: 'nobody@example.com',
        password: 'wrong password!!',
      });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.error?.data.code).toBe('UNAUTHORIZED');
        expect(res.error?.message).toBe('Email or password is wrong.');
        expect(cookieValue(res.res, SESSION_COOKIE)).toBeUndefined();
      }
      const failures = await server.db.prisma.auditEvent.findMany({ where: { action: 'auth.login_failed' } });
      expect(failures.map((f) => (f.details as { email: string }).email).sort()).toEqual([
        'erin@example.com',
        'nobody@example.com',
      ]);
      expect(
        failures.find((f) => (f.details as { email: string }).email === 'nobody@example.com')?.userId,
      ).toBeNull();
    });

    it('reports nobody for anonymous callers and for forged or unknown session tokens', async () => {
      expect((await query<Me>(server.app, 'auth.me')).data.user).toBeNull();
      for (const session of ['forged', 'a'.repeat(32), `${'z'.repeat(31)}!`]) {
        const me = await query<Me>(server.app, 'auth.me', undefined, { session });
        expect(me.status).toBe(200);
        expect(me.data.user).toBeNull();
      }
    });

    it('refuses protected calls with a forged session with UNAUTHORIZED and nothing else', async () => {
      const res = await query(server.app, 'apiTokens.list', undefined, { session: 'b'.repeat(32) });
      expect(res.status).toBe(401);
      expect(res.error?.data.code).toBe('UNAUTHORIZED');
      expect(res.error?.message).toMatch(/session has expired or is not valid/);
      expect(leaksInternals(res.res.body)).toBe(false);
    });

    it('limits login attempts per address and email to 5 a minute', async () => {
      const attempt = () =>
        mutate(server.app, 'auth.login', { email: 'frank@example.com', password: 'guess guess guess' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const limited = await attempt();
      expect(limited.error?.data.code).toBe('RATE_LIMITED');
      expect(limited.error?.message).toMatch(/Too many attempts.*wait \d+ s/);
      // Another account from the same address is not locked out by it.
      const other = await mutate(server.app, 'auth.login', {
        email: 'erin@example.com',
        password: GOOD_PASSWORD,
      });
      expect(other.status).toBe(200);
    });
  });

  describe('auth.logout', () => {
    it('ends the session so its token no longer works, and clears the cookies', async () => {
      const { caller } = await signUp(server.app, 'gina@example.com');
      const res = await mutate<{ ok: boolean }>(server.app, 'auth.logout', undefined, caller);
      expect(res.data).toEqual({ ok: true });
      const cleared = res.res.cookies.find((c) => c.name === SESSION_COOKIE);
      expect(cleared?.value).toBe('');
      expect((await query<Me>(server.app, 'auth.me', undefined, caller)).data.user).toBeNull();
      expect(await server.db.prisma.session.count({ where: { id: hashToken(caller.session!) } })).toBe(0);
    });
  });

  describe('auth.changePassword', () => {
    it('needs the current password, signs out other sessions and keeps this one', async () => {
      const { user, caller } = await signUp(server.app, 'hank@example.com');
      const otherLogin = await mutate(server.app, 'auth.login', {
        email: 'hank@example.com',
        password: GOOD_PASSWORD,
      });
      const other = { session: cookieValue(otherLogin.res, SESSION_COOKIE) };

      const wrong = await mutate(
        server.app,
        'auth.changePassword',
        { currentPassword: 'nope nope nope', newPassword: 'a new long passphrase' },
        caller,
      );
      expect(wrong.error?.data.code).toBe('UNAUTHORIZED');

      const weak = await mutate(
        server.app,
        'auth.changePassword',
        { currentPassword: GOOD_PASSWORD, newPassword: 'short' },
        caller,
      );
      expect(weak.error?.data).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'newPassword' }] },
      });

      const ok = await mutate(
        server.app,
        'auth.changePassword',
        { currentPassword: GOOD_PASSWORD, newPassword: 'a new long passphrase' },
        caller,
      );
      expect(ok.data).toEqual({ ok: true, otherSessionsEnded: 1 });
      expect((await query<Me>(server.app, 'auth.me', undefined, caller)).data.user?.email).toBe(
        'hank@example.com',
      );
      expect((await query<Me>(server.app, 'auth.me', undefined, other)).data.user).toBeNull();

      const oldPassword = await mutate(server.app, 'auth.login', {
        email: 'hank@example.com',
        password: GOOD_PASSWORD,
      });
      expect(oldPassword.status).toBe(401);
      const newPassword = await mutate(server.app, 'auth.login', {
        email: 'hank@example.com',
        password: 'a new long passphrase',
      });
      expect(newPassword.status).toBe(200);
      expect(await auditActions(user.id)).toEqual(
        expect.arrayContaining(['auth.password_change_failed', 'auth.password_change']),
      );
    });
  });
});
