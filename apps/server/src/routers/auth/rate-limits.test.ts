// Per-address limits on login and sign-up, on top of the per-(address, email) one: one address
// spraying many emails is stopped, other addresses are not, and the refusal says how long to wait.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../env';
import { GOOD_PASSWORD, HOST, ORIGIN, startTestServer, type TestServer } from '../../test-support/server';

interface Outcome {
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string | undefined;
  readonly retryAfterHeader: number | undefined;
  readonly retryAfterSeconds: number | undefined;
}

/** A browser-like tRPC mutation from a chosen client address (inject's remoteAddress sets req.ip). */
async function attempt(
  app: FastifyInstance,
  path: 'auth.login' | 'auth.signUp',
  email: string,
  address: string,
  password = GOOD_PASSWORD,
): Promise<Outcome> {
  const res: LightMyRequestResponse = await app.inject({
    method: 'POST',
    url: `/trpc/${path}`,
    remoteAddress: address,
    headers: { host: HOST, origin: ORIGIN, 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
  });
  const body = res.json() as {
    error?: { message: string; data: { code: string; details?: { retryAfterSeconds?: number } } };
  };
  const header = res.headers['retry-after'];
  return {
    status: res.statusCode,
    code: body.error?.data.code,
    message: body.error?.message,
    retryAfterHeader: header === undefined ? undefined : Number(header),
    retryAfterSeconds: body.error?.data.details?.retryAfterSeconds,
  };
}

const A = '203.0.113.7';
const B = '198.51.100.9';

describe('per-address auth rate limits', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('defaults to 20 logins per 10 minutes and 5 sign-ups per hour per address', () => {
    const env = loadEnv({});
    expect([
      env.RATE_LIMIT_LOGIN_PER_ADDRESS,
      env.RATE_LIMIT_LOGIN_WINDOW_MINUTES,
      env.RATE_LIMIT_SIGNUP_PER_ADDRESS,
      env.RATE_LIMIT_SIGNUP_WINDOW_MINUTES,
    ]).toEqual([20, 10, 5, 60]);
  });

  it('stops an address after 20 logins with different emails, with Retry-After, but not other addresses', async () => {
    server = await startTestServer({
      env: { RATE_LIMIT_LOGIN_PER_ADDRESS: '20', RATE_LIMIT_LOGIN_WINDOW_MINUTES: '10' },
    });
    const app = server.app;
    const signedUp = await attempt(app, 'auth.signUp', 'real@example.com', B);
    expect(signedUp.status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push(
        (await attempt(app, 'auth.login', `guess${i}@example.com`, A, 'wrong wrong wrong')).status,
      );
    }
    const limited = await attempt(app, 'auth.login', 'guess20@example.com', A, 'wrong wrong wrong');
    // Even the right password for a real account waits: the budget counts attempts from the address.
    const rightPassword = await attempt(app, 'auth.login', 'real@example.com', A);
    const elsewhere = await attempt(app, 'auth.login', 'real@example.com', B);

    expect(statuses).toEqual(Array.from({ length: 20 }, () => 401));
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.message).toMatch(/Too many sign-in attempts from your address; wait \d+ s/);
    expect(limited.retryAfterSeconds).toBeGreaterThan(10 * 60 - 60);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(10 * 60);
    expect(limited.retryAfterHeader).toBe(limited.retryAfterSeconds);
    expect(limited.message).toContain(`wait ${limited.retryAfterSeconds} s`);
    expect(rightPassword.status).toBe(429);
    expect(elsewhere.status).toBe(200);
  });

  it('stops an address after 5 sign-ups per hour and creates no account for the refused one', async () => {
    server = await startTestServer({
      env: { RATE_LIMIT_SIGNUP_PER_ADDRESS: '5', RATE_LIMIT_SIGNUP_WINDOW_MINUTES: '60' },
    });
    const app = server.app;

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await attempt(app, 'auth.signUp', `new${i}@example.com`, A)).status);
    const limited = await attempt(app, 'auth.signUp', 'new5@example.com', A);
    const elsewhere = await attempt(app, 'auth.signUp', 'new6@example.com', B);

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.message).toMatch(/Too many new accounts from your address; wait \d+ s/);
    expect(limited.retryAfterSeconds).toBeGreaterThan(60 * 60 - 60);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(60 * 60);
    expect(limited.retryAfterHeader).toBe(limited.retryAfterSeconds);
    expect(await server.db.prisma.user.count({ where: { email: 'new5@example.com' } })).toBe(0);
    expect(elsewhere.status).toBe(200);
  });

  it('keeps the login and sign-up budgets apart: a spent sign-up budget does not block logins', async () => {
    server = await startTestServer({
      env: { RATE_LIMIT_SIGNUP_PER_ADDRESS: '1', RATE_LIMIT_LOGIN_PER_ADDRESS: '2' },
    });
    const app = server.app;

    const first = await attempt(app, 'auth.signUp', 'one@example.com', A);
    const second = await attempt(app, 'auth.signUp', 'two@example.com', A);
    const logins = [
      await attempt(app, 'auth.login', 'one@example.com', A),
      await attempt(app, 'auth.login', 'one@example.com', A),
      await attempt(app, 'auth.login', 'one@example.com', A),
    ].map((o) => o.status);

    expect([first.status, second.status]).toEqual([200, 429]);
    expect(logins).toEqual([200, 200, 429]);
  });

  it('still limits one account from one address to 5 attempts a minute, with Retry-After', async () => {
    server = await startTestServer();
    const app = server.app;

    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await attempt(app, 'auth.login', 'target@example.com', A, 'wrong wrong wrong')).status);
    }
    const limited = await attempt(app, 'auth.login', 'target@example.com', A, 'wrong wrong wrong');

    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(limited.message).toMatch(/Too many attempts for this account from your address/);
    expect(limited.retryAfterHeader).toBeGreaterThan(0);
    expect(limited.retryAfterHeader).toBeLessThanOrEqual(60);
    expect(limited.retryAfterHeader).toBe(limited.retryAfterSeconds);
  });
});
