// audit.list for administrators: events of logins, strategy saves and job submissions, filtered by
// user, action (exact or prefix) and time, newest first, one page at a time.
import { BACKENDS } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, query } from '../../test-support/server';
import { type Platform, startPlatform } from '../backtests/test-support/platform';

interface Page {
  items: Array<{
    id: string;
    action: string;
    userId: string | null;
    createdAt: string;
    targetId: string | null;
  }>;
  nextCursor: string | null;
}

describe.each(BACKENDS)('audit log on %s', (backend) => {
  let p: Platform;
  let strategyVersionId: string;
  beforeAll(async () => {
    p = await startPlatform({ backend, queue: 'none' });
    const created = await mutate<{ version: { id: string } }>(
      p.app,
      'strategies.create',
      { template: 'ema-cross' },
      p.users.a.caller,
    );
    strategyVersionId = created.data.version.id;
  });
  afterAll(async () => {
    await p?.close();
  });
  const list = (input?: Record<string, unknown>) =>
    query<Page>(p.app, 'audit.list', input, p.users.admin.caller);

  it("filters by user and exact action, and shows A's strategy save", async () => {
    const res = await list({ userId: p.users.a.id, action: 'strategy.save' });
    expect(res.data.items.map((e) => [e.action, e.userId, e.targetId])).toEqual([
      ['strategy.save', p.users.a.id, strategyVersionId],
    ]);
  });

  it('filters by action prefix and by time window', async () => {
    const auth = await list({ action: 'auth.' });
    expect(auth.data.items.length).toBeGreaterThanOrEqual(4);
    expect(auth.data.items.every((e) => e.action.startsWith('auth.'))).toBe(true);
    const future = await list({ from: new Date(Date.now() + 60_000).toISOString() });
    expect(future.data.items).toEqual([]);
  });

  it('pages newest first without repeating an event', async () => {
    const all = await list({ limit: 500 });
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await list({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.items.map((e) => e.id));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.items.map((e) => e.id));
    const times = all.data.items.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('is for administrators only', async () => {
    for (const who of ['a', 'v'] as const) {
      const res = await query(p.app, 'audit.list', undefined, p.users[who].caller);
      expect([res.status, res.error?.data.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await list({ action: 'DROP TABLE' })).error?.data.code).toBe('VALIDATION_FAILED');
  });
});
