// Key rotation against real databases: every row ends under the new key, still decrypts (with the old
// key removed), reruns change nothing, and a failing batch leaves its rows as they were.
import { randomBytes } from 'node:crypto';
import { BACKENDS, type Database, openTestDatabase } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialKey, Keyring } from './cipher';
import { describeRotation, rotateCredentials } from './rotate';
import { openRow, sealColumns, storedKeyId } from './store';

const key = (id: string): CredentialKey => ({ id, key: randomBytes(32) });
const ring = (...keys: CredentialKey[]): Keyring => ({ active: keys[0]!, all: keys });

const oldKey = key('old');
const olderKey = key('older');
const newKey = key('new');

describe.each(BACKENDS)('rotateCredentials on %s', (backend) => {
  let db: Database;
  const users: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    for (const email of ['a@example.com', 'b@example.com']) {
      const user = await db.prisma.user.create({ data: { email, passwordHash: 'not-used' } });
      users.push(user.id);
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  async function seed(keyring: Keyring, count: number, tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${tag}-${String(i).padStart(3, '0')}`;
      const userId = users[i % users.length]!;
      const secret = {
        apiKey: `key-${id}`,
        secret: `secret-${id}`,
        ...(i % 2 ? { passphrase: `pp-${id}` } : {}),
      };
      await db.prisma.exchangeCredential.create({
        data: {
          id,
          userId,
          exchange: 'binance',
          label: id,
          apiKeyLast4: secret.apiKey.slice(-4),
          ...sealColumns(keyring, { id, userId }, secret),
        },
      });
      ids.push(id);
    }
    return ids;
  }

  async function rows() {
    return db.prisma.exchangeCredential.findMany({ orderBy: { id: 'asc' } });
  }

  it('re-encrypts every row under the new key in batches, and the old keys can then be removed', async () => {
    await db.prisma.exchangeCredential.deleteMany();
    await seed(ring(oldKey), 7, 'a');
    await seed(ring(olderKey), 3, 'b');
    await seed(ring(newKey), 2, 'c');
    const before = await rows();
    const batches: number[] = [];

    const report = await rotateCredentials(db.prisma, ring(newKey, oldKey, olderKey), {
      batchSize: 4,
      onBatch: ({ rotated }) => batches.push(rotated),
    });

    expect(report).toMatchObject({ activeKeyId: 'new', rotated: 10, alreadyCurrent: 2, batches: 3 });
    expect(report.before).toEqual({ old: 7, older: 3, new: 2 });
    expect(report.after).toEqual({ new: 12 });
    expect(batches).toEqual([4, 8, 10]);
    const after = await rows();
    const onlyNew = ring(newKey);
    for (const [i, row] of after.entries()) {
      expect(row.keyId).toBe('new');
      expect(storedKeyId(row.ciphertext)).toBe('new');
      const expected = openRow(ring(oldKey, olderKey, newKey), before[i]!);
      expect(openRow(onlyNew, row)).toEqual(expected);
      expect(expected.secret).toBe(`secret-${row.id}`);
    }
    expect(describeRotation(report)).toMatch(/no credential uses old, older any more/);
  });

  it('is idempotent: a second run changes no row', async () => {
    const before = await rows();

    const report = await rotateCredentials(db.prisma, ring(newKey, oldKey));

    expect(report).toMatchObject({ rotated: 0, batches: 0, alreadyCurrent: before.length });
    expect(await rows()).toEqual(before);
    expect(describeRotation(report)).toMatch(/re-encrypted 0 credential\(s\)/);
  });

  it('rolls back the failing batch and names the missing key when a row cannot be opened', async () => {
    await db.prisma.exchangeCredential.deleteMany();
    await seed(ring(oldKey), 3, 'd');
    const orphan = await seed(ring(key('lost')), 1, 'e');
    const before = await rows();

    const run = rotateCredentials(db.prisma, ring(newKey, oldKey), { batchSize: 10 });

    await expect(run).rejects.toThrow(new RegExp(`credential ${orphan[0]} is encrypted with key id "lost"`));
    // All four rows were one batch: none of them was changed.
    expect(await rows()).toEqual(before);
  });

  it('refuses rows whose keyId column claims the active key while the ciphertext names another', async () => {
    await db.prisma.exchangeCredential.deleteMany();
    const [id] = await seed(ring(oldKey), 1, 'f');
    await db.prisma.exchangeCredential.update({ where: { id: id! }, data: { keyId: 'new' } });

    await expect(rotateCredentials(db.prisma, ring(newKey, oldKey))).rejects.toThrow(
      new RegExp(`credentials ${id} are labelled with key "new" but encrypted under another key`),
    );
  });

  it('refuses a batch size that is not a positive whole number', async () => {
    await expect(rotateCredentials(db.prisma, ring(newKey), { batchSize: 0 })).rejects.toThrow(/batch size/);
  });
});

describe('describeRotation', () => {
  it('says to rerun while rows remain under an old key', () => {
    const text = describeRotation({
      activeKeyId: 'new',
      rotated: 1,
      alreadyCurrent: 0,
      batches: 1,
      before: { old: 2 },
      after: { new: 1, old: 1 },
    });
    expect(text).toMatch(/still encrypted under old: rerun before removing those keys/);
  });
});
