// requireOwned against real rows: owners get the row; everyone else gets the same NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './db';
import { ApiError } from './errors';
import { requireOwned } from './ownership';
import { openServerTestDatabase } from './test-support/server';

let db: Database;
let dispose: () => Promise<void>;
let owner: { id: string };
let other: { id: string };
beforeAll(async () => {
  ({ db, dispose } = await openServerTestDatabase());
  owner = await db.prisma.user.create({ data: { email: 'o@example.com', passwordHash: 'x' } });
  other = await db.prisma.user.create({ data: { email: 'p@example.com', passwordHash: 'x' } });
});
afterAll(async () => {
  await dispose();
});

const as = (user: { id: string } | null) => ({ prisma: db.prisma, user });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof ApiError ? error.apiCode : String(error);
  }
}

describe('requireOwned', () => {
  it('returns the owner their strategy, its versions and their datasets', async () => {
    const strategy = await db.prisma.strategy.create({ data: { ownerId: owner.id, name: 'mine' } });
    const version = await db.prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 1,
        graph: {},
        dslText: '',
        contentHash: 'h',
        params: [],
        createdById: owner.id,
      },
    });
    expect((await requireOwned(as(owner), 'strategy', strategy.id)).name).toBe('mine');
    expect((await requireOwned(as(owner), 'strategyVersion', version.id)).strategy.id).toBe(strategy.id);
  });

  it("answers NOT_FOUND alike for another user's row, a deleted row and a missing id", async () => {
    const strategy = await db.prisma.strategy.create({ data: { ownerId: owner.id, name: 'private' } });
    const deleted = await db.prisma.strategy.create({
      data: { ownerId: owner.id, name: 'gone', deletedAt: new Date() },
    });
    expect(await codeOf(requireOwned(as(other), 'strategy', strategy.id))).toBe('NOT_FOUND');
    expect(await codeOf(requireOwned(as(owner), 'strategy', deleted.id))).toBe('NOT_FOUND');
    expect(await codeOf(requireOwned(as(owner), 'dataset', 'missing'))).toBe('NOT_FOUND');
    expect(await codeOf(requireOwned(as(null), 'strategy', strategy.id))).toBe('UNAUTHORIZED');
  });

  it('lets others read a PUBLIC strategy only when the caller allows it', async () => {
    const shared = await db.prisma.strategy.create({
      data: { ownerId: owner.id, name: 'shared', visibility: 'PUBLIC' },
    });
    expect(await codeOf(requireOwned(as(other), 'strategy', shared.id))).toBe('NOT_FOUND');
    expect((await requireOwned(as(other), 'strategy', shared.id, { allowPublic: true })).name).toBe('shared');
  });

  it('checks user-owned rows (API tokens) by userId', async () => {
    const token = await db.prisma.apiToken.create({
      data: { userId: owner.id, name: 't', tokenHash: 'hash-1', prefix: 'cfk_x', scopes: ['read'] },
    });
    expect((await requireOwned(as(owner), 'apiToken', token.id)).name).toBe('t');
    expect(await codeOf(requireOwned(as(other), 'apiToken', token.id))).toBe('NOT_FOUND');
  });
});
