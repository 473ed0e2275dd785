// The procedure gates every router relies on: CSRF for cookie mutations, sign-in, and roles.
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokensRouter } from './routers/api-tokens';
import { authRouter } from './routers/auth';
import { usersRouter } from './routers/users';
import { type Caller, mutate, query, signUp, startTestServer, type TestServer } from './test-support/server';
import { adminProcedure, protectedProcedure, roleProcedure, router, traderProcedure } from './trpc';

const probeRouter = router({
  look: protectedProcedure.query(({ ctx }) => ({ role: ctx.user.role })),
  change: traderProcedure.input(z.object({ value: z.number() }).strict()).mutation(({ input }) => input),
  administer: adminProcedure.query(() => 'ok'),
  viewerMutation: roleProcedure('viewer').mutation(() => 'ok'),
});
const testRouter = router({
  auth: authRouter,
  apiTokens: apiTokensRouter,
  users: usersRouter,
  probe: probeRouter,
});

let server: TestServer;
let admin: Caller;
let trader: Caller;
let viewer: Caller;
beforeAll(async () => {
  server = await startTestServer({ router: testRouter });
  admin = (await signUp(server.app, 'root@example.com')).caller;
  trader = (await signUp(server.app, 'trader@example.com')).caller;
  const v = await signUp(server.app, 'viewer@example.com');
  viewer = v.caller;
  const set = await mutate(server.app, 'users.setRole', { userId: v.user.id, role: 'viewer' }, admin);
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

describe('CSRF protection of cookie-authenticated mutations', () => {
  it('accepts a same-origin mutation that echoes the session CSRF token', async () => {
    const res = await mutate(server.app, 'probe.change', { value: 1 }, trader);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ value: 1 });
  });

  it('refuses a mutation without the CSRF header', async () => {
    const res = await mutate(server.app, 'probe.change', { value: 1 }, { session: trader.session });
    expect(res.status).toBe(403);
    expect(res.error?.data.code).toBe('CSRF_FAILED');
    expect(res.error?.message).toMatch(/x-csrf-token/);
  });

  it('refuses a mutation with another session’s CSRF token', async () => {
    const res = await mutate(
      server.app,
      'probe.change',
      { value: 1 },
      { session: trader.session, csrf: viewer.csrf },
    );
    expect(res.error?.data.code).toBe('CSRF_FAILED');
  });

  it('refuses a mutation from a foreign Origin even with the right token', async () => {
    const res = await mutate(
      server.app,
      'probe.change',
      { value: 1 },
      { ...trader, origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(res.error?.data.code).toBe('CSRF_FAILED');
    expect(res.error?.message).toMatch(/Origin/);
  });

  it('falls back to the Referer when there is no Origin', async () => {
    const foreign = await mutate(
      server.app,
      'probe.change',
      { value: 1 },
      {
        ...trader,
        origin: null,
        headers: { referer: 'https://evil.example/page' },
      },
    );
    expect(foreign.error?.data.code).toBe('CSRF_FAILED');
    const own = await mutate(
      server.app,
      'probe.change',
      { value: 2 },
      {
        ...trader,
        origin: null,
        headers: { referer: 'http://candleflow.test/studio' },
      },
    );
    expect(own.status).toBe(200);
  });

  it('lets queries through without a token (they change nothing)', async () => {
    const res = await query(server.app, 'probe.look', undefined, { session: trader.session });
    expect(res.data).toEqual({ role: 'trader' });
  });

  it('refuses login from a foreign origin (login CSRF)', async () => {
    const res = await mutate(
      server.app,
      'auth.login',
      { email: 'trader@example.com', password: 'whatever password' },
      { origin: 'https://evil.example' },
    );
    expect(res.error?.data.code).toBe('CSRF_FAILED');
  });
});

describe('roles', () => {
  it('lets a viewer look but not create, change or run', async () => {
    expect((await query(server.app, 'probe.look', undefined, viewer)).data).toEqual({ role: 'viewer' });
    const change = await mutate(server.app, 'probe.change', { value: 1 }, viewer);
    expect(change.status).toBe(403);
    expect(change.error?.data.code).toBe('FORBIDDEN');
    expect(change.error?.message).toMatch(/read-only.*trader role/);
    expect((await mutate(server.app, 'probe.viewerMutation', undefined, viewer)).status).toBe(200);
  });

  it('keeps administration to administrators', async () => {
    expect((await query(server.app, 'probe.administer', undefined, trader)).error?.data.code).toBe(
      'FORBIDDEN',
    );
    expect((await query(server.app, 'probe.administer', undefined, admin)).data).toBe('ok');
    expect((await mutate(server.app, 'probe.change', { value: 3 }, admin)).status).toBe(200);
  });

  it('asks anonymous callers to sign in', async () => {
    const res = await query(server.app, 'probe.look');
    expect(res.status).toBe(401);
    expect(res.error?.data.code).toBe('UNAUTHORIZED');
    expect(res.error?.message).toMatch(/Sign in/);
  });
});
