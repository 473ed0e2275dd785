// The public HTTP API as a script uses it: fetch against a listening server with an API token,
// create token → upload dataset → submit backtest → poll → fetch result; plus its refusals and docs.
import { readFileSync } from 'node:fs';
import { BACKENDS } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type buildOpenApiDocument, jsonSchemaOf, PUBLIC_API_SCHEMAS } from '../../openapi/document';
import { leaksInternals, mutate } from '../../test-support/server';
import { type Platform, rowCounts, startPlatform } from '../backtests/test-support/platform';

const DEMO_CSV = readFileSync(
  new URL('../../../../../examples/data/demo-btc-1h.csv', import.meta.url),
  'utf8',
);
// A month of the demo data keeps the backtest quick.
const SMALL_CSV = DEMO_CSV.split('\n')
  .slice(0, 24 * 40 + 1)
  .join('\n');

describe.each(BACKENDS)('public API on %s', (backend) => {
  let platform: Platform;
  let base: string;
  let token: string;
  let readOnly: string;
  let strategyId: string;
  let versionId: string;

  beforeAll(async () => {
    platform = await startPlatform({ backend });
    const { a, b } = platform.users;
    const created = await mutate<{ token: string }>(
      platform.app,
      'apiTokens.create',
      { name: 'script' },
      a.caller,
    );
    token = created.data.token;
    readOnly = (
      await mutate<{ token: string }>(
        platform.app,
        'apiTokens.create',
        { name: 'ro', scopes: ['read'] },
        a.caller,
      )
    ).data.token;
    const strategy = await mutate<{ strategy: { id: string }; version: { id: string } }>(
      platform.app,
      'strategies.create',
      { template: 'ema-cross' },
      a.caller,
    );
    strategyId = strategy.data.strategy.id;
    versionId = strategy.data.version.id;
    await mutate(platform.app, 'strategies.create', { template: 'sma-cross' }, b.caller);
    base = await platform.listen();
  });
  afterAll(async () => {
    await platform?.close();
  });

  const api = (path: string, init: RequestInit & { auth?: string | null } = {}) => {
    const { auth, ...rest } = init;
    const headers = new Headers(rest.headers);
    const bearer = auth === undefined ? token : auth;
    if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`);
    return fetch(`${base}${path}`, { ...rest, headers });
  };

  it('runs a backtest end to end: upload dataset, submit, poll, fetch result', async () => {
    const form = new FormData();
    form.set('name', 'BTC one month');
    form.set('symbol', 'BTC/USDT');
    form.set('file', new Blob([SMALL_CSV], { type: 'text/csv' }), 'btc.csv');
    const upload = await api('/api/v1/datasets', { method: 'POST', body: form });
    expect(upload.status).toBe(201);
    const dataset = (await upload.json()) as { id: string; bars: number; timeframe: string };
    expect(dataset).toMatchObject({ bars: 24 * 40, timeframe: '1h' });

    const submit = await api('/api/v1/backtests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        strategyVersionId: versionId,
        datasetId: dataset.id,
        settings: { initialCash: 5000 },
      }),
    });
    expect(submit.status).toBe(202);
    const run = (await submit.json()) as { id: string; status: string };
    expect(run.status).toBe('QUEUED');

    let status = run.status;
    for (let i = 0; i < 300 && !['SUCCEEDED', 'FAILED', 'CANCELED'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = ((await (await api(`/api/v1/backtests/${run.id}`)).json()) as { status: string }).status;
    }
    expect(status).toBe('SUCCEEDED');

    const result = (await (await api(`/api/v1/backtests/${run.id}/result`)).json()) as {
      metrics: { initialCash: number; tradeCount: number };
      trades: unknown[];
      equity: unknown[];
      provenance: { dataHash?: string } | null;
    };
    expect(result.metrics.initialCash).toBe(5000);
    expect(result.metrics.tradeCount).toBe(result.trades.length);
    expect(result.equity.length).toBeGreaterThan(0);

    // The same request again is answered from the result cache.
    const again = await api('/api/v1/backtests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        strategyVersionId: versionId,
        datasetId: dataset.id,
        settings: { initialCash: 5000 },
      }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'SUCCEEDED', servedFromCache: true });
  });

  it('submits an optimization, reads it and its trials, and refuses bad ranges with the field named', async () => {
    const dataset = await mutate<{ id: string }>(
      platform.app,
      'datasets.generate',
      { bars: 500 },
      platform.users.a.caller,
    );
    const post = (spec: unknown) =>
      api('/api/v1/optimizations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ strategyVersionId: versionId, datasetId: dataset.data.id, spec }),
      });
    const ranges = {
      fast: { values: [5, 10] },
      slow: { values: [20, 40] },
      rsiPeriod: { fixed: 14 },
      rsiMax: { fixed: 70 },
      atrMult: { fixed: 2 },
    };

    const submitted = await post({ ranges, monteCarlo: null });
    const refused = await post({ ranges: { ...ranges, fast: { min: 20, max: 5 } } });

    expect(submitted.status).toBe(202);
    const optimization = (await submitted.json()) as {
      id: string;
      spec: { method: string };
      versionNumber: number;
    };
    expect(optimization).toMatchObject({ spec: { method: 'grid' }, versionNumber: 1 });
    const read = await api(`/api/v1/optimizations/${optimization.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { id: string }).id).toBe(optimization.id);
    const trials = await api(`/api/v1/optimizations/${optimization.id}/trials?limit=10&phase=search`);
    expect(trials.status).toBe(200);
    expect(await trials.json()).toMatchObject({ total: expect.any(Number), rows: expect.any(Array) });
    expect(refused.status).toBe(400);
    const error = (
      (await refused.json()) as { error: { code: string; details: { issues: { path: string }[] } } }
    ).error;
    expect([error.code, error.details.issues[0]?.path]).toEqual(['BAD_REQUEST', 'spec.ranges.fast.min']);
    await mutate(platform.app, 'optimizations.cancel', { id: optimization.id }, platform.users.a.caller);
  });

  it("lists own and public strategies but never another user's private ones", async () => {
    const res = await api('/api/v1/strategies?limit=50');
    expect(res.status).toBe(200);
    const list = (await res.json()) as Array<{ id: string; ownerId: string }>;
    expect(list.map((s) => s.ownerId)).toEqual(list.map(() => platform.users.a.id));
    const one = await api(`/api/v1/strategies/${strategyId}`);
    expect(((await one.json()) as { latest: { dslText: string } }).latest.dslText).toMatch(/^strategy /);
  });

  it('accepts text/csv uploads with the fields as query parameters', async () => {
    const res = await api('/api/v1/datasets?name=raw&symbol=ETH%2FUSDT&timeframe=1h', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: SMALL_CSV,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ symbol: 'ETH/USDT', bars: 24 * 40 });
  });

  it('names the bad line of a corrupt CSV and stores nothing', async () => {
    const before = await rowCounts(platform.db);
    const lines = SMALL_CSV.split('\n');
    lines[5] = '2024-01-01T04:00:00.000Z,1,2,3,abc,5';
    const res = await api('/api/v1/datasets?name=bad&symbol=BTC%2FUSDT', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: lines.join('\n'),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { line: number } } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.line).toBe(6);
    expect(await rowCounts(platform.db)).toEqual(before);
  });

  it('refuses uploads over UPLOAD_LIMIT_BYTES with PAYLOAD_TOO_LARGE', async () => {
    const big = `timestamp,open,high,low,close,volume\n${'x'.repeat(platform.env.UPLOAD_LIMIT_BYTES + 10)}`;
    const res = await api('/api/v1/datasets?name=big&symbol=BTC', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers UNAUTHORIZED without a token, with a forged one, and for a session cookie', async () => {
    for (const auth of [null, `cfk_${'a'.repeat(32)}`]) {
      const res = await api('/api/v1/strategies', { auth });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    const cookie = await api('/api/v1/strategies', {
      auth: null,
      headers: { cookie: `cf_session=${platform.users.a.caller.session}` },
    });
    expect(cookie.status).toBe(401);
  });

  it("keeps read-only tokens to reads and hides other users' things as NOT_FOUND", async () => {
    const write = await api('/api/v1/backtests', {
      method: 'POST',
      auth: readOnly,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ strategyVersionId: versionId, datasetId: 'x' }),
    });
    expect(write.status).toBe(403);
    const bToken = (
      await mutate<{ token: string }>(
        platform.app,
        'apiTokens.create',
        { name: 'b' },
        platform.users.b.caller,
      )
    ).data.token;
    const res = await api(`/api/v1/strategies/${strategyId}`, { auth: bToken });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('answers malformed JSON, unknown fields and wrong types with stable codes and no internals', async () => {
    const cases: Array<[string, string]> = [
      ['{"strategyVersionId": ', 'MALFORMED_JSON'],
      [JSON.stringify({ strategyVersionId: versionId, datasetId: 'd', extra: 1 }), 'VALIDATION_FAILED'],
      [JSON.stringify({ strategyVersionId: 42, datasetId: 'd' }), 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await api('/api/v1/backtests', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await res.text();
      expect(res.status).toBe(400);
      expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(code);
      expect(leaksInternals(text)).toBe(false);
    }
  });

  it("serves the OpenAPI 3.1 document generated from the procedures' zod schemas, and the docs page", async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    const doc = (await res.json()) as ReturnType<typeof buildOpenApiDocument>;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/backtests',
      '/api/v1/backtests/{id}',
      '/api/v1/backtests/{id}/result',
      '/api/v1/datasets',
      '/api/v1/optimizations',
      '/api/v1/optimizations/{id}',
      '/api/v1/optimizations/{id}/trials',
      '/api/v1/strategies',
      '/api/v1/strategies/{id}',
    ]);
    expect(doc.components.schemas.BacktestSubmit).toEqual(jsonSchemaOf(PUBLIC_API_SCHEMAS.backtestSubmit));
    expect(doc.components.schemas.BacktestSubmit).toMatchObject({
      additionalProperties: false,
      required: ['strategyVersionId', 'datasetId'],
    });
    const docs = await fetch(`${base}/api/docs/`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.js/);
    const bundle = await fetch(`${base}/api/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });
});
