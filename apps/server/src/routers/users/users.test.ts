import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  mutate,
  query,
  signUp,
  startTestServer,
  type TestServer,
} from '../../test-support/server';

let server: TestServer;
let admin: { id: string; caller: Caller };
let trader: { id: string; caller: Caller };
beforeAll(async () => {
  server = await startTestServer();
  const a = await signUp(server.app, 'boss@example.com');
  const t = await signUp(server.app, 'worker@example.com');
  admin = { id: a.user.id, caller: a.caller };
  trader = { id: t.user.id, caller: t.caller };
});
afterAll(async () => {
  await server.close();
});

describe('users.setRole', () => {
  it('lets an administrator change a role, audited with before and after', async () => {
    const res = await mutate(
      server.app,
      'users.setRole',
      { userId: trader.id, role: 'viewer' },
      admin.caller,
    );
    expect(res.data).toMatchObject({ id: trader.id, role: 'viewer' });
    const me = await query<{ user: { role: string } }>(server.app, 'auth.me', undefined, trader.caller);
    expect(me.data.user.role).toBe('viewer');
    const event = await server.db.prisma.auditEvent.findFirst({
      where: { action: 'user.set_role', targetId: trader.id },
    });
    expect(event).toMatchObject({ userId: admin.id, details: { from: 'TRADER', to: 'VIEWER' } });
    await mutate(server.app, 'users.setRole', { userId: trader.id, role: 'trader' }, admin.caller);
  });

  it('is refused to non-administrators', async () => {
    const res = await mutate(
      server.app,
      'users.setRole',
      { userId: trader.id, role: 'admin' },
      trader.caller,
    );
    expect(res.status).toBe(403);
    expect(res.error?.data.code).toBe('FORBIDDEN');
    expect((await server.db.prisma.user.findUnique({ where: { id: trader.id } }))?.role).toBe('TRADER');
  });

  it('never leaves the database without an administrator', async () => {
    const res = await mutate(server.app, 'users.setRole', { userId: admin.id, role: 'trader' }, admin.caller);
    expect(res.status).toBe(409);
    expect(res.error?.data.code).toBe('CONFLICT');
    expect((await server.db.prisma.user.findUnique({ where: { id: admin.id } }))?.role).toBe('ADMIN');
  });

  it('answers NOT_FOUND for an unknown user and VALIDATION_FAILED for an unknown role', async () => {
    expect(
      (await mutate(server.app, 'users.setRole', { userId: 'nope', role: 'viewer' }, admin.caller)).error
        ?.data.code,
    ).toBe('NOT_FOUND');
    const bad = await mutate(server.app, 'users.setRole', { userId: trader.id, role: 'owner' }, admin.caller);
    expect(bad.error?.data).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: 'role' }] },
    });
  });
});

describe('users.list', () => {
  it('lists accounts to administrators in pages, without password hashes', async () => {
    const first = await query<{ users: Array<Record<string, unknown>>; nextCursor: string | null }>(
      server.app,
      'users.list',
      { limit: 1 },
      admin.caller,
    );
    expect(first.data.users).toHaveLength(1);
    expect(first.data.users[0]).toMatchObject({ email: 'boss@example.com', role: 'admin' });
    expect(first.data.users[0]).not.toHaveProperty('passwordHash');
    const second = await query<{ users: Array<{ email: string }> }>(
      server.app,
      'users.list',
      { limit: 1, cursor: first.data.nextCursor },
      admin.caller,
    );
    expect(second.data.users.map((u) => u.email)).toEqual(['worker@example.com']);
    expect((await query(server.app, 'users.list', undefined, trader.caller)).error?.data.code).toBe(
      'FORBIDDEN',
    );
  });
});
