// Exchange credentials end to end over HTTP: stored encrypted, only the public face comes back, each
// user sees and touches only their own, changes are audited, and the secret never appears in any
// response, error or log line.
import { Writable } from 'node:stream';
import { BACKENDS } from '@candleflow/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRow } from '../../credentials/store';
import { resolveCredentialsKeys } from '../../credentials-keys';
import { testEnv } from '../../env';
import {
  type Caller,
  mutate,
  query,
  signUp,
  startTestServer,
  type TestServer,
} from '../../test-support/server';

const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
// Distinctive values, so a leak anywhere is found by a plain substring search.
const SECRET = 'SECRET-9f3a7c1e-do-not-leak';
const API_KEY = 'APIKEY-4b8d2e6f-private-WXYZ';
const PASSPHRASE = 'PASSPHRASE-1c5e9a-do-not-leak';
const NEW_SECRET = 'SECRET-NEW-77aa11-do-not-leak';
const SENSITIVE = [SECRET, API_KEY.slice(0, -4), PASSPHRASE, NEW_SECRET];

interface View {
  id: string;
  exchange: string;
  label: string;
  apiKeyLast4: string;
  createdAt: string;
  updatedAt: string;
}

describe.each(BACKENDS)('credentials router on %s', (backend) => {
  let server: TestServer;
  const logLines: string[] = [];
  const bodies: string[] = [];
  let alice: { id: string; caller: Caller };
  let bob: { id: string; caller: Caller };
  let viewer: Caller;

  const keyring = resolveCredentialsKeys(testEnv({ CREDENTIALS_KEYS: KEYS }), () => {});
  const record = <T extends { res: { body: string } }>(res: T): T => {
    bodies.push(res.res.body);
    return res;
  };
  const create = async (caller: Caller, input: Record<string, unknown>) =>
    record(await mutate<View>(server.app, 'credentials.create', input, caller));
  const list = async (caller: Caller, input?: Record<string, unknown>) =>
    record(await query<View[]>(server.app, 'credentials.list', input, caller));
  const update = async (caller: Caller, input: Record<string, unknown>) =>
    record(await mutate<View>(server.app, 'credentials.update', input, caller));
  const remove = async (caller: Caller, id: string) =>
    record(await mutate<{ id: string }>(server.app, 'credentials.delete', { id }, caller));
  const fullInput = {
    exchange: 'okx',
    label: 'main account',
    apiKey: API_KEY,
    secret: SECRET,
    passphrase: PASSPHRASE,
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    server = await startTestServer({
      backend,
      env: { CREDENTIALS_KEYS: KEYS, LOG_LEVEL: 'trace' },
      logger: pino({ level: 'trace' }, sink),
    });
    const a = await signUp(server.app, 'alice@example.com');
    alice = { id: a.user.id, caller: a.caller };
    const b = await signUp(server.app, 'bob@example.com');
    bob = { id: b.user.id, caller: b.caller };
    const v = await signUp(server.app, 'viewer@example.com');
    await server.db.prisma.user.update({ where: { id: v.user.id }, data: { role: 'VIEWER' } });
    viewer = v.caller;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a credential and returns only id, exchange, label, last 4 of the key and dates', async () => {
    const res = await create(alice.caller, fullInput);

    expect(res.status).toBe(200);
    expect(Object.keys(res.data).sort()).toEqual([
      'apiKeyLast4',
      'createdAt',
      'exchange',
      'id',
      'label',
      'updatedAt',
    ]);
    expect(res.data).toMatchObject({ exchange: 'okx', label: 'main account', apiKeyLast4: 'WXYZ' });
  });

  it('stores the credential encrypted under the active key, bound to its owner, and decryptable', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'stored' });
    const row = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });

    expect(row.userId).toBe(alice.id);
    expect(row.keyId).toBe('k1');
    const raw = Buffer.from(row.ciphertext).toString('utf8');
    expect(raw).toMatch(/^v1\.k1\./);
    for (const value of SENSITIVE) expect(raw).not.toContain(value);
    expect(openRow(keyring, row)).toEqual({ apiKey: API_KEY, secret: SECRET, passphrase: PASSPHRASE });
  });

  it('records an audit event for each create, update and delete, without secrets in the details', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'audited' });
    await update(alice.caller, { id: data.id, secret: NEW_SECRET });
    await remove(alice.caller, data.id);

    const events = await server.db.prisma.auditEvent.findMany({
      where: { targetType: 'exchangeCredential', targetId: data.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((event) => event.action).sort()).toEqual([
      'credential.create',
      'credential.delete',
      'credential.update',
    ]);
    expect(events.every((event) => event.userId === alice.id)).toBe(true);
    expect(events.find((e) => e.action === 'credential.update')?.details).toMatchObject({
      changed: ['secret'],
    });
    const serialised = JSON.stringify(events);
    for (const value of SENSITIVE) expect(serialised).not.toContain(value);
  });

  it("lists only the caller's own credentials, never their secrets, filtered by exchange", async () => {
    await create(bob.caller, {
      exchange: 'binance',
      label: 'bob spot',
      apiKey: 'bobkey-1234',
      secret: 'bob-secret',
    });
    await create(alice.caller, { exchange: 'binance', label: 'alice spot', apiKey: API_KEY, secret: SECRET });

    const bobs = await list(bob.caller);
    const alices = await list(alice.caller, { exchange: 'binance' });

    expect(bobs.data.map((c) => c.label)).toEqual(['bob spot']);
    expect(alices.data.map((c) => c.label)).toEqual(['alice spot']);
    expect(alices.data.every((c) => c.exchange === 'binance')).toBe(true);
    for (const item of [...bobs.data, ...alices.data]) {
      expect(Object.keys(item).sort()).toEqual([
        'apiKeyLast4',
        'createdAt',
        'exchange',
        'id',
        'label',
        'updatedAt',
      ]);
    }
  });

  it('replaces the secret, keeps the API key and passphrase unless given, and re-encrypts', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'to update' });
    const before = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });

    const res = await update(alice.caller, { id: data.id, secret: NEW_SECRET, label: 'renamed' });

    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: data.id, label: 'renamed', apiKeyLast4: 'WXYZ' });
    const after = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });
    expect(Buffer.from(after.ciphertext).equals(Buffer.from(before.ciphertext))).toBe(false);
    expect(openRow(keyring, after)).toEqual({ apiKey: API_KEY, secret: NEW_SECRET, passphrase: PASSPHRASE });
  });

  it('replaces the API key and removes the passphrase when asked', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'new key' });

    const res = await update(alice.caller, {
      id: data.id,
      secret: NEW_SECRET,
      apiKey: 'rotated-key-9876',
      passphrase: null,
    });

    expect(res.data.apiKeyLast4).toBe('9876');
    const row = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });
    expect(openRow(keyring, row)).toEqual({ apiKey: 'rotated-key-9876', secret: NEW_SECRET });
  });

  it('deletes a credential the caller owns', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'to delete' });

    const res = await remove(alice.caller, data.id);

    expect(res.data).toEqual({ id: data.id });
    expect(await server.db.prisma.exchangeCredential.count({ where: { id: data.id } })).toBe(0);
    expect((await remove(alice.caller, data.id)).error?.data.code).toBe('NOT_FOUND');
  });

  it("cannot update or delete another user's credential: NOT_FOUND, and the row is unchanged", async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'alice only' });
    const before = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });

    const updated = await update(bob.caller, { id: data.id, secret: 'stolen', label: 'pwned' });
    const deleted = await remove(bob.caller, data.id);

    expect(updated.error?.data.code).toBe('NOT_FOUND');
    expect(deleted.error?.data.code).toBe('NOT_FOUND');
    const after = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });
    expect(after).toEqual(before);
    // A missing id and someone else's id answer alike, so ids reveal nothing.
    expect((await remove(bob.caller, 'no-such-id')).error?.data.code).toBe('NOT_FOUND');
    expect((await list(bob.caller)).data.map((c) => c.id)).not.toContain(data.id);
  });

  it('lets a viewer list but not create, change or delete', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'for viewer test' });

    expect((await list(viewer)).status).toBe(200);
    expect((await create(viewer, fullInput)).error?.data.code).toBe('FORBIDDEN');
    expect((await update(viewer, { id: data.id, secret: 'x' })).error?.data.code).toBe('FORBIDDEN');
    expect((await remove(viewer, data.id)).error?.data.code).toBe('FORBIDDEN');
  });

  it('refuses anonymous callers', async () => {
    expect((await list({})).error?.data.code).toBe('UNAUTHORIZED');
    expect((await create({}, fullInput)).error?.data.code).toBe('UNAUTHORIZED');
  });

  it('rejects bad input with VALIDATION_FAILED naming the field, never echoing the secret', async () => {
    const unknownField = await create(alice.caller, { ...fullInput, extra: SECRET });
    const badExchange = await create(alice.caller, { ...fullInput, exchange: 'Not An Exchange!' });
    const emptySecret = await create(alice.caller, { ...fullInput, secret: '   ' });
    const hugeSecret = await create(alice.caller, { ...fullInput, secret: `${SECRET}${'x'.repeat(5000)}` });

    expect(unknownField.error?.data.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(unknownField.error?.data.details)).toContain('extra');
    expect(JSON.stringify(badExchange.error?.data.details)).toContain('exchange');
    expect(JSON.stringify(emptySecret.error?.data.details)).toContain('secret');
    expect(JSON.stringify(hugeSecret.error?.data.details)).toContain('secret');
    expect(
      await server.db.prisma.exchangeCredential.count({ where: { label: 'main account', userId: bob.id } }),
    ).toBe(0);
  });

  it('fails without revealing anything when a stored ciphertext was tampered with', async () => {
    const { data } = await create(alice.caller, { ...fullInput, label: 'tampered' });
    const row = await server.db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: data.id } });
    // Move the ciphertext to another of alice's rows: authentic bytes, wrong row.
    const other = await create(alice.caller, { ...fullInput, label: 'victim' });
    await server.db.prisma.exchangeCredential.update({
      where: { id: other.data.id },
      data: { ciphertext: row.ciphertext },
    });

    const res = await update(alice.caller, { id: other.data.id, secret: NEW_SECRET });

    expect(res.error?.data.code).toBe('INTERNAL');
    expect(res.res.body).not.toMatch(/cipher|key|credential .* failed/i);
    const unchanged = await server.db.prisma.exchangeCredential.findUniqueOrThrow({
      where: { id: other.data.id },
    });
    expect(Buffer.from(unchanged.ciphertext).equals(Buffer.from(row.ciphertext))).toBe(true);
  });

  it('never puts the secret, passphrase or full API key in a response body or a log line', () => {
    // Runs last: it reads everything the tests above produced.
    expect(bodies.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(20);
    const everything = [...bodies, ...logLines].join('\n');
    for (const value of SENSITIVE) expect(everything).not.toContain(value);
    expect(everything).not.toContain(API_KEY);
  });
});
