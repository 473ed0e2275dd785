// Strategies and their immutable versions over HTTP on both databases: created from templates, graphs
// and JSON files, listed with public ones, renamed, shared, duplicated, soft-deleted, and saved only
// when they compile, with nothing written by any refused call.
import { readFileSync } from 'node:fs';
import { BACKENDS } from '@candleflow/db';
import { parseText } from '@candleflow/strategy-dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksInternals, mutate, query } from '../../test-support/server';
import { type Platform, rowCounts, startPlatform } from '../backtests/test-support/platform';
import { graphContentHash } from './graph';
import { listTemplates } from './templates';

const emaCross = JSON.parse(
  readFileSync(new URL('../../../../../examples/ema-cross.json', import.meta.url), 'utf8'),
) as {
  name: string;
  nodes: Array<{ id: string; params: Record<string, unknown>; position?: unknown }>;
  edges: unknown[];
};

interface Created {
  strategy: { id: string; name: string; latestVersion: number };
  version: { id: string; number: number; dslText: string; contentHash: string; graph: unknown };
}
type ErrorData = { code: string; details?: { diagnostics?: Array<{ nodeId?: string; code: string }> } };

describe.each(BACKENDS)('strategies and versions on %s', (backend) => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ backend, env: { MAX_GRAPH_NODES: '500' } });
  });
  afterAll(async () => {
    await p?.close();
  });
  const a = () => p.users.a.caller;
  const b = () => p.users.b.caller;

  it('creates a strategy from a template with version 1: canonical DSL text and a position-free content hash', async () => {
    const res = await mutate<Created>(p.app, 'strategies.create', { template: 'ema-cross' }, a());

    expect(res.status).toBe(200);
    expect(res.data.strategy).toMatchObject({ name: emaCross.name, latestVersion: 1 });
    expect(res.data.version.number).toBe(1);
    const reparsed = parseText(res.data.version.dslText);
    expect(reparsed.ok).toBe(true);
    if (reparsed.ok) expect(graphContentHash(reparsed.graph)).toBe(res.data.version.contentHash);
    const moved = { ...emaCross, nodes: emaCross.nodes.map((n) => ({ ...n, position: { x: 999, y: -1 } })) };
    const other = await mutate<Created>(p.app, 'strategies.create', { graph: moved }, a());
    expect(other.data.version.contentHash).toBe(res.data.version.contentHash);
    expect(
      await p.db.prisma.auditEvent.count({
        where: { action: 'strategy.save', targetId: res.data.version.id },
      }),
    ).toBe(1);
  });

  it('offers every example file as a template and names them when one is unknown', async () => {
    expect(listTemplates()).toEqual(expect.arrayContaining(['ema-cross', 'sma-cross', 'rsi-mean-reversion']));
    const res = await mutate(p.app, 'strategies.create', { template: 'no-such-thing' }, a());
    expect(res.status).toBe(404);
    expect(res.error?.message).toContain('ema-cross');
  });

  it('lists the templates with their graphs for the studio gallery', async () => {
    const res = await query<{ name: string; graph: { name: string; nodes: unknown[] } }[]>(
      p.app,
      'strategies.templates',
      undefined,
      a(),
    );
    expect(res.data?.map((t) => t.name)).toEqual(listTemplates());
    expect(res.data?.find((t) => t.name === 'ema-cross')?.graph.name).toBe('EMA cross with RSI filter');
    expect(res.data?.every((t) => t.graph.nodes.length > 0)).toBe(true);
  });

  it('wants exactly one of graph and template', async () => {
    const both = await mutate(p.app, 'strategies.create', { template: 'ema-cross', graph: emaCross }, a());
    const neither = await mutate(p.app, 'strategies.create', { name: 'x' }, a());
    expect([both.error?.data.code, neither.error?.data.code]).toEqual([
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
    ]);
  });

  it("lists own and public strategies, never another user's private ones", async () => {
    const mine = await mutate<Created>(
      p.app,
      'strategies.create',
      { template: 'sma-cross', name: 'b private' },
      b(),
    );
    const shared = await mutate<Created>(
      p.app,
      'strategies.create',
      { template: 'sma-cross', name: 'b shared' },
      b(),
    );
    await mutate(
      p.app,
      'strategies.setVisibility',
      { id: shared.data.strategy.id, visibility: 'PUBLIC' },
      b(),
    );

    const list = await query<Array<{ id: string; mine: boolean }>>(p.app, 'strategies.list', undefined, a());
    const ids = list.data.map((s) => s.id);
    expect(ids).toContain(shared.data.strategy.id);
    expect(ids).not.toContain(mine.data.strategy.id);
    expect(list.data.find((s) => s.id === shared.data.strategy.id)?.mine).toBe(false);
    const publicOnly = await query<Array<{ id: string }>>(p.app, 'strategies.list', { scope: 'public' }, a());
    expect(publicOnly.data.map((s) => s.id)).toEqual([shared.data.strategy.id]);
    // Readable, not changeable, by others.
    expect((await query(p.app, 'strategies.get', { id: shared.data.strategy.id }, a())).status).toBe(200);
    const rename = await mutate(
      p.app,
      'strategies.rename',
      { id: shared.data.strategy.id, name: 'mine now' },
      a(),
    );
    expect(rename.error?.data.code).toBe('NOT_FOUND');
  });

  it('renames, then soft-deletes: the row stays, every lookup answers NOT_FOUND', async () => {
    const { data } = await mutate<Created>(p.app, 'strategies.create', { template: 'ema-cross' }, a());
    const renamed = await mutate<{ name: string }>(
      p.app,
      'strategies.rename',
      { id: data.strategy.id, name: 'Renamed' },
      a(),
    );
    expect(renamed.data.name).toBe('Renamed');

    expect((await mutate(p.app, 'strategies.delete', { id: data.strategy.id }, a())).status).toBe(200);

    const row = await p.db.prisma.strategy.findUniqueOrThrow({ where: { id: data.strategy.id } });
    expect(row.deletedAt).not.toBeNull();
    expect((await query(p.app, 'strategies.get', { id: data.strategy.id }, a())).error?.data.code).toBe(
      'NOT_FOUND',
    );
    expect((await query(p.app, 'versions.get', { id: data.version.id }, a())).error?.data.code).toBe(
      'NOT_FOUND',
    );
    const list = await query<Array<{ id: string }>>(p.app, 'strategies.list', undefined, a());
    expect(list.data.map((s) => s.id)).not.toContain(data.strategy.id);
  });

  it('duplicates its own strategy and forks a public one, remembering the source version', async () => {
    const own = await mutate<Created>(p.app, 'strategies.create', { template: 'ema-cross' }, a());
    const copy = await mutate<Created & { strategy: { forkedFromVersionId: string } }>(
      p.app,
      'strategies.duplicate',
      { id: own.data.strategy.id },
      a(),
    );
    expect(copy.data.strategy.name).toBe(`${emaCross.name} (copy)`);
    expect(copy.data.strategy.forkedFromVersionId).toBe(own.data.version.id);
    expect(copy.data.version.contentHash).toBe(own.data.version.contentHash);

    const bPrivate = await mutate<Created>(p.app, 'strategies.create', { template: 'sma-cross' }, b());
    const refused = await mutate(p.app, 'strategies.duplicate', { id: bPrivate.data.strategy.id }, a());
    expect(refused.error?.data.code).toBe('NOT_FOUND');
    await mutate(
      p.app,
      'strategies.setVisibility',
      { id: bPrivate.data.strategy.id, visibility: 'PUBLIC' },
      b(),
    );
    const fork = await mutate<Created>(
      p.app,
      'strategies.duplicate',
      { id: bPrivate.data.strategy.id, name: 'fork' },
      a(),
    );
    const row = await p.db.prisma.strategy.findUniqueOrThrow({ where: { id: fork.data.strategy.id } });
    expect([row.ownerId, row.forkedFromVersionId]).toEqual([p.users.a.id, bPrivate.data.version.id]);
  });

  it('exports a version as JSON that imports back to the same content', async () => {
    const { data } = await mutate<Created>(
      p.app,
      'strategies.create',
      { template: 'rsi-mean-reversion' },
      a(),
    );
    const exported = await query<{ json: string; fileName: string }>(
      p.app,
      'strategies.exportJson',
      { id: data.strategy.id },
      a(),
    );
    expect(exported.data.fileName).toMatch(/-v1\.json$/);

    const imported = await mutate<Created>(
      p.app,
      'strategies.importJson',
      { json: exported.data.json, name: 'Imported' },
      a(),
    );

    expect(imported.data.strategy.name).toBe('Imported');
    expect(imported.data.version.contentHash).toBe(data.version.contentHash);
  });

  it('refuses malformed JSON, oversized and broken graphs with stable codes and writes nothing', async () => {
    const huge = {
      ...emaCross,
      nodes: Array.from({ length: 10_000 }, (_, i) => ({
        id: `n${i}`,
        type: 'constant',
        version: 1,
        params: {},
      })),
    };
    const broken = { ...emaCross, edges: [] };
    const before = await rowCounts(p.db);

    const malformed = await mutate<never>(p.app, 'strategies.importJson', { json: '{"nodes": [' }, a());
    const tooLarge = await mutate<never>(p.app, 'strategies.importJson', { json: JSON.stringify(huge) }, a());
    const tooLargeGraph = await mutate<never>(p.app, 'strategies.create', { graph: huge }, a());
    const notCompiling = await mutate<never>(p.app, 'strategies.create', { graph: broken }, a());
    const wrongType = await mutate<never>(p.app, 'strategies.create', { graph: 'nodes' }, a());

    expect(malformed.error?.data.code).toBe('VALIDATION_FAILED');
    expect([tooLarge.status, tooLarge.error?.data.code]).toEqual([422, 'GRAPH_TOO_LARGE']);
    expect(tooLargeGraph.error?.data.code).toBe('GRAPH_TOO_LARGE');
    expect([notCompiling.status, notCompiling.error?.data.code]).toEqual([422, 'COMPILE_FAILED']);
    const diagnostics = (notCompiling.error!.data as ErrorData).details?.diagnostics ?? [];
    expect(
      diagnostics.some((d) => d.code === 'MISSING_INPUT' && emaCross.nodes.some((n) => n.id === d.nodeId)),
    ).toBe(true);
    expect(wrongType.error?.data.code).toBe('VALIDATION_FAILED');
    for (const res of [malformed, tooLarge, tooLargeGraph, notCompiling, wrongType]) {
      expect(leaksInternals(res.res.body)).toBe(false);
    }
    expect(await rowCounts(p.db)).toEqual(before);
  });

  it('saves versions 2, 3, … only when they compile; a failed save returns the node ids and writes nothing', async () => {
    const { data } = await mutate<Created>(p.app, 'strategies.create', { template: 'ema-cross' }, a());
    const changed = {
      ...emaCross,
      nodes: emaCross.nodes.map((n, i) => (i === 0 ? { ...n, position: { x: 1, y: 2 } } : n)),
      params: [],
    };
    const before = await rowCounts(p.db);
    const failed = await mutate<never>(
      p.app,
      'versions.save',
      { strategyId: data.strategy.id, graph: changed },
      a(),
    );
    expect(failed.error?.data.code).toBe('COMPILE_FAILED');
    const refs = emaCross.nodes.filter((n) => JSON.stringify(n.params).includes('$param')).map((n) => n.id);
    const unknownParams = ((failed.error!.data as ErrorData).details?.diagnostics ?? []).filter(
      (d) => d.code === 'UNKNOWN_STRATEGY_PARAM',
    );
    expect(refs.length).toBeGreaterThan(0);
    expect(new Set(unknownParams.flatMap((d) => (d.nodeId ? [d.nodeId] : [])))).toEqual(new Set(refs));
    expect(await rowCounts(p.db)).toEqual(before);

    const saved = await mutate<{ version: { number: number } }>(
      p.app,
      'versions.save',
      { strategyId: data.strategy.id, graph: emaCross },
      a(),
    );
    expect(saved.data.version.number).toBe(2);
    const byNumber = await query<{ id: string; number: number }>(
      p.app,
      'versions.get',
      { strategyId: data.strategy.id, number: 2 },
      a(),
    );
    expect(byNumber.data.number).toBe(2);
    const versions = await query<Array<{ number: number }>>(
      p.app,
      'versions.list',
      { strategyId: data.strategy.id },
      a(),
    );
    expect(versions.data.map((v) => v.number)).toEqual([2, 1]);
    expect(
      (await query(p.app, 'versions.get', { strategyId: data.strategy.id, number: 9 }, a())).status,
    ).toBe(404);
  });

  it('numbers concurrent saves without gaps or repeats', async () => {
    const { data } = await mutate<Created>(p.app, 'strategies.create', { template: 'ema-cross' }, a());

    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        mutate<{ version: { number: number } }>(
          p.app,
          'versions.save',
          { strategyId: data.strategy.id, graph: emaCross },
          a(),
        ),
      ),
    );

    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.map((r) => r.data.version.number).sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('lets a viewer read public strategies but not create, save or change anything', async () => {
    const v = p.users.v.caller;
    const created = await mutate(p.app, 'strategies.create', { template: 'ema-cross' }, v);
    expect([created.status, created.error?.data.code]).toEqual([403, 'FORBIDDEN']);
    const list = await query<unknown[]>(p.app, 'strategies.list', undefined, v);
    expect(list.status).toBe(200);
  });
});
