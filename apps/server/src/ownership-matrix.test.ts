// The ownership matrix: every procedure of appRouter, called as anonymous, trader A (the owner),
// trader B, viewer V and an admin. Another user's private strategies, versions, datasets, runs,
// credentials and tokens answer NOT_FOUND (never FORBIDDEN: an id reveals nothing), public strategies
// are readable but not changeable by others, viewers may read but not create, change or run, and
// anonymous callers get UNAUTHORIZED. The procedure list comes from the router itself, so a new
// procedure without an entry here fails this test.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCandlesCsv, writeCandleCache } from '@candleflow/data';
import { BACKENDS } from '@candleflow/db';
import { OptimizeSpecSchema } from '@candleflow/optimize';
import type { AnyProcedure } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './auth/sessions';
import { contextFactory, type ServerServices } from './context';
import { ApiError } from './errors';
import { normaliseError } from './errors';
import { appRouter } from './routers';
import { type Platform, startPlatform } from './routers/backtests/test-support/platform';
import type { Caller } from './test-support/server';
import { createCallerFactory } from './trpc';

const emaCross = JSON.parse(
  readFileSync(new URL('../../../examples/ema-cross.json', import.meta.url), 'utf8'),
) as object;
const CSV =
  'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n2024-01-01T01:00:00Z,1.5,2,1,1.2,10\n';

const series = parseCandlesCsv(CSV, { symbol: 'BTC/USDT' }).series;

/** fast × slow, the rest held: a small grid every optimization procedure accepts. */
const SMALL_GRID = {
  ranges: {
    fast: { values: [5, 10] },
    slow: { values: [20, 40] },
    rsiPeriod: { fixed: 14 },
    rsiMax: { fixed: 70 },
    atrMult: { fixed: 2 },
  },
};

type Who = 'anon' | 'a' | 'b' | 'v' | 'admin';
type Outcome = 'ok' | string;

/** Makes the input for one call; may create fresh rows owned by A (so destructive calls never starve others). */
type InputFor = (f: Fixtures) => Promise<unknown> | unknown;

type Entry =
  /** Anyone, signed in or not (sign-up, login, logout, me): only checked not to demand a sign-in. */
  | { readonly access: 'public'; readonly input: InputFor }
  /** Acts on the caller's own account only (no ids): anonymous is refused; the rest is in its own suite. */
  | { readonly access: 'account'; readonly input: InputFor; readonly why: string }
  /** Creates or lists the caller's own things: B's answer must not mention A's private ids. */
  | {
      readonly access: 'self';
      readonly write: boolean;
      readonly input: InputFor;
      readonly viewerMay?: string;
    }
  /** Takes ids of A's things. `shared` gives the input for A's PUBLIC strategy, readable by others. */
  | {
      readonly access: 'owned';
      readonly write: boolean;
      readonly input: InputFor;
      readonly shared?: InputFor;
      /** Why a viewer may make this change to their own things (it changes nothing they could run). */
      readonly viewerMay?: string;
    }
  | { readonly access: 'admin'; readonly write: boolean; readonly input: InputFor };

interface Fixtures {
  readonly p: Platform;
  /** A fresh private strategy of A's with version 1 (the ema-cross graph). */
  strategy(visibility?: 'PRIVATE' | 'PUBLIC'): Promise<{ id: string; versionId: string }>;
  dataset(): Promise<string>;
  /** A finished run of A's (SUCCEEDED, with metrics). */
  run(): Promise<string>;
  /** A finished optimization of A's (SUCCEEDED, with a best trial). */
  optimization(): Promise<string>;
  credential(): Promise<string>;
  apiToken(): Promise<string>;
  readonly privateIds: string[];
}

const MATRIX: Record<string, Entry> = {
  'auth.signUp': {
    access: 'public',
    input: () => ({ email: `new-${Math.random()}@example.com`, password: 'correct horse battery staple' }),
  },
  'auth.login': {
    access: 'public',
    input: () => ({ email: 'a@example.com', password: 'wrong password here' }),
  },
  'auth.logout': { access: 'public', input: () => undefined },
  'auth.me': { access: 'public', input: () => undefined },
  'auth.changePassword': {
    access: 'account',
    input: () => ({ currentPassword: 'not the password', newPassword: 'another long passphrase' }),
    why: 'acts on ctx.user only; wrong-password and session rules are in routers/auth/auth.test.ts',
  },
  'apiTokens.create': {
    access: 'self',
    write: true,
    input: () => ({ name: 'matrix' }),
    viewerMay: "API tokens only carry the holder's own role: a viewer's token stays read-only",
  },
  'apiTokens.list': { access: 'self', write: false, input: () => undefined },
  'apiTokens.revoke': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: await f.apiToken() }),
    viewerMay: "API tokens only carry the holder's own role: a viewer's token stays read-only",
  },
  'users.list': { access: 'admin', write: false, input: () => undefined },
  'users.setRole': {
    access: 'admin',
    write: true,
    input: (f) => ({ userId: f.p.users.b.id, role: 'trader' }),
  },
  'credentials.create': {
    access: 'self',
    write: true,
    input: () => ({ exchange: 'binance', label: 'matrix', apiKey: 'KEY-123456', secret: 'SECRET' }),
  },
  'credentials.list': { access: 'self', write: false, input: () => undefined },
  'credentials.update': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: await f.credential(), secret: 'S2', label: 'x' }),
  },
  'credentials.delete': { access: 'owned', write: true, input: async (f) => ({ id: await f.credential() }) },
  'strategies.create': { access: 'self', write: true, input: () => ({ template: 'sma-cross' }) },
  'strategies.list': { access: 'self', write: false, input: () => undefined },
  'strategies.templates': { access: 'self', write: false, input: () => undefined },
  'strategies.get': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: (await f.strategy()).id }),
    shared: async (f) => ({ id: (await f.strategy('PUBLIC')).id }),
  },
  'strategies.rename': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: (await f.strategy()).id, name: 'renamed' }),
  },
  'strategies.setVisibility': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: (await f.strategy()).id, visibility: 'PUBLIC' }),
  },
  'strategies.delete': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: (await f.strategy()).id }),
  },
  'strategies.duplicate': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: (await f.strategy()).id }),
    // Forking a public strategy is allowed to traders (B); viewers are refused by role.
    shared: async (f) => ({ id: (await f.strategy('PUBLIC')).id }),
  },
  'strategies.importJson': { access: 'self', write: true, input: () => ({ json: JSON.stringify(emaCross) }) },
  'strategies.exportJson': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: (await f.strategy()).id }),
    shared: async (f) => ({ id: (await f.strategy('PUBLIC')).id }),
  },
  'versions.save': {
    access: 'owned',
    write: true,
    input: async (f) => ({ strategyId: (await f.strategy()).id, graph: emaCross }),
  },
  'versions.list': {
    access: 'owned',
    write: false,
    input: async (f) => ({ strategyId: (await f.strategy()).id }),
    shared: async (f) => ({ strategyId: (await f.strategy('PUBLIC')).id }),
  },
  'versions.get': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: (await f.strategy()).versionId }),
    shared: async (f) => ({ id: (await f.strategy('PUBLIC')).versionId }),
  },
  'datasets.importCsv': {
    access: 'self',
    write: true,
    input: () => ({ name: 'm', symbol: 'BTC/USDT', csv: CSV }),
  },
  'datasets.generate': { access: 'self', write: true, input: () => ({ bars: 20 }) },
  'datasets.list': { access: 'self', write: false, input: () => undefined },
  'datasets.get': { access: 'owned', write: false, input: async (f) => ({ id: await f.dataset() }) },
  'datasets.delete': { access: 'owned', write: true, input: async (f) => ({ id: await f.dataset() }) },
  'backtests.submit': {
    access: 'owned',
    write: true,
    input: async (f) => ({ strategyVersionId: (await f.strategy()).versionId, datasetId: await f.dataset() }),
  },
  'backtests.get': { access: 'owned', write: false, input: async (f) => ({ id: await f.run() }) },
  'backtests.progress': { access: 'owned', write: false, input: async (f) => ({ id: await f.run() }) },
  'backtests.cancel': { access: 'owned', write: true, input: async (f) => ({ id: await f.run() }) },
  'backtests.chart': { access: 'owned', write: false, input: async (f) => ({ id: await f.run() }) },
  'backtests.result': { access: 'owned', write: false, input: async (f) => ({ id: await f.run() }) },
  'backtests.list': { access: 'self', write: false, input: () => undefined },
  'backtests.compare': {
    access: 'owned',
    write: false,
    input: async (f) => ({ a: await f.run(), b: await f.run() }),
  },
  'optimizations.estimate': {
    access: 'owned',
    write: false,
    input: async (f) => ({
      strategyVersionId: (await f.strategy()).versionId,
      datasetId: await f.dataset(),
      spec: SMALL_GRID,
    }),
  },
  'optimizations.submit': {
    access: 'owned',
    write: true,
    input: async (f) => ({
      strategyVersionId: (await f.strategy()).versionId,
      datasetId: await f.dataset(),
      spec: SMALL_GRID,
    }),
  },
  'optimizations.get': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: await f.optimization() }),
  },
  'optimizations.list': { access: 'self', write: false, input: () => undefined },
  'optimizations.trials': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: await f.optimization() }),
  },
  'optimizations.heatmap': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: await f.optimization(), x: 'fast', y: 'slow' }),
  },
  'optimizations.progress': {
    access: 'owned',
    write: false,
    input: async (f) => ({ id: await f.optimization() }),
  },
  'optimizations.cancel': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: await f.optimization() }),
  },
  'optimizations.applyTrial': {
    access: 'owned',
    write: true,
    input: async (f) => ({ id: await f.optimization() }),
  },
  'audit.list': { access: 'admin', write: false, input: () => ({ limit: 5 }) },
};

const procedures = (appRouter._def as unknown as { procedures: Record<string, AnyProcedure> }).procedures;

describe('the ownership matrix', () => {
  it('has an entry for every procedure of appRouter', () => {
    const paths = Object.keys(procedures).sort();
    expect(paths.filter((path) => !(path in MATRIX))).toEqual([]);
  });
});

describe.each(BACKENDS)('ownership on %s', (backend) => {
  let p: Platform;
  let f: Fixtures;
  let callAs: (who: Who, path: string, input: unknown) => Promise<Outcome>;

  beforeAll(async () => {
    p = await startPlatform({ backend });
    const prisma = p.db.prisma;
    const aId = p.users.a.id;
    const privateIds: string[] = [];
    const track = (id: string) => {
      privateIds.push(id);
      return id;
    };
    let n = 0;
    f = {
      p,
      privateIds,
      async strategy(visibility = 'PRIVATE') {
        const s = await prisma.strategy.create({ data: { ownerId: aId, name: `A's ${++n}`, visibility } });
        const v = await prisma.strategyVersion.create({
          data: {
            strategyId: s.id,
            number: 1,
            graph: emaCross,
            dslText: '',
            contentHash: `h${n}`,
            params: [],
            createdById: aId,
          },
        });
        if (visibility === 'PRIVATE') track(s.id) && track(v.id);
        return { id: s.id, versionId: v.id };
      },
      async dataset() {
        const storagePath = `${aId}/fixture-${++n}.cfc`;
        mkdirSync(join(p.dataDir, 'datasets', aId), { recursive: true });
        writeCandleCache(join(p.dataDir, 'datasets', storagePath), series);
        const d = await prisma.dataset.create({
          data: {
            ownerId: aId,
            name: `A's data ${++n}`,
            symbol: 'BTC/USDT',
            timeframe: '1h',
            bars: series.time.length,
            firstTime: BigInt(series.time[0]!),
            lastTime: BigInt(series.time.at(-1)!),
            dataHash: `d${n}`,
            storagePath,
            source: 'UPLOAD',
          },
        });
        return track(d.id);
      },
      async run() {
        const { versionId } = await f.strategy();
        const r = await prisma.backtestRun.create({
          data: {
            ownerId: aId,
            strategyVersionId: versionId,
            datasetId: await f.dataset(),
            settings: {},
            settingsHash: 's',
            engineVersion: 'e',
            cacheKey: `k${++n}`,
            status: 'SUCCEEDED',
            progress: 1,
            metrics: { netProfit: 1 },
            equity: [],
            trades: [],
            warnings: [],
          },
        });
        return track(r.id);
      },
      async optimization() {
        const { versionId } = await f.strategy();
        const params = { fast: 5, slow: 20, rsiPeriod: 14, rsiMax: 70, atrMult: 2 };
        const o = await prisma.optimization.create({
          data: {
            ownerId: aId,
            strategyVersionId: versionId,
            datasetId: await f.dataset(),
            spec: OptimizeSpecSchema.parse(SMALL_GRID),
            settings: {},
            settingsHash: 's',
            engineVersion: 'e',
            status: 'SUCCEEDED',
            progress: 1,
            best: { index: 0, params, objective: 1, metrics: {} },
          },
        });
        await prisma.optimizationTrial.create({
          data: {
            optimizationId: o.id,
            index: 0,
            phase: 'SEARCH',
            params,
            resultKey: `r${++n}`,
            objective: 1,
            feasible: true,
            evaluatedAt: new Date(),
          },
        });
        return track(o.id);
      },
      async credential() {
        const c = await prisma.exchangeCredential.create({
          data: {
            userId: aId,
            exchange: 'okx',
            label: 'A',
            keyId: 'k1',
            ciphertext: Buffer.from('x'),
            apiKeyLast4: 'WXYZ',
          },
        });
        return track(c.id);
      },
      async apiToken() {
        const t = await prisma.apiToken.create({
          data: {
            userId: aId,
            name: 'A',
            tokenHash: `hash-${++n}-${Math.random()}`,
            prefix: 'cfk_x',
            scopes: ['read'],
          },
        });
        return track(t.id);
      },
    };

    const services: ServerServices = {
      env: p.env,
      db: p.db,
      clock: () => new Date(),
      queue: p.queue,
      limitAuthAttempt: async () => ({ allowed: true, retryAfterSeconds: 0 }),
      log: p.app.log,
    };
    const createContext = contextFactory(services);
    const createCaller = createCallerFactory(appRouter);
    const callers: Record<Who, Caller | null> = {
      anon: null,
      a: p.users.a.caller,
      b: p.users.b.caller,
      v: p.users.v.caller,
      admin: p.users.admin.caller,
    };
    callAs = async (who, path, input) => {
      const caller = callers[who];
      // The WebSocket shape of a request: identity from the session cookie, CSRF token as a connection param.
      const req = {
        headers: {
          host: 'candleflow.test',
          ...(caller?.session ? { cookie: `${SESSION_COOKIE}=${caller.session}` } : {}),
        },
        socket: { remoteAddress: '127.0.0.1' },
      };
      const ctx = await createContext({
        req,
        res: undefined,
        info: { connectionParams: caller?.csrf ? { csrfToken: caller.csrf } : null },
      } as never);
      const fn = path
        .split('.')
        .reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], createCaller(ctx));
      try {
        const out = await (fn as (i: unknown) => Promise<unknown>)(input);
        if (out && typeof out === 'object' && Symbol.asyncIterator in out) {
          // A subscription: its checks run when it is first read.
          for await (const value of out as AsyncIterable<unknown>) return JSON.stringify(value) && 'ok';
        }
        return `ok:${JSON.stringify(out ?? null)}`;
      } catch (error) {
        return normaliseError(error instanceof ApiError ? error : error).body.code;
      }
    };
  });
  afterAll(async () => {
    await p?.close();
  });

  const isOk = (o: Outcome) => o.startsWith('ok');
  const DENIED = ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'];

  it.each(Object.keys(procedures))('%s', async (path) => {
    const entry = MATRIX[path];
    if (!entry) throw new Error(`${path} has no entry in the ownership matrix: add one`);
    const fresh = () => entry.input(f);

    const anon = await callAs('anon', path, await fresh());
    if (entry.access === 'public') {
      expect(anon).not.toBe('UNAUTHORIZED');
      return;
    }
    expect(anon).toBe('UNAUTHORIZED');
    if (entry.access === 'account') return;

    if (entry.access === 'admin') {
      expect(await callAs('b', path, await fresh())).toBe('FORBIDDEN');
      expect(await callAs('v', path, await fresh())).toBe('FORBIDDEN');
      expect(DENIED).not.toContain(await callAs('admin', path, await fresh()));
      return;
    }

    if (entry.access === 'self') {
      const b = await callAs('b', path, await fresh());
      expect(isOk(b), `${path} as B: ${b}`).toBe(true);
      for (const id of f.privateIds) expect(b, `${path} as B leaks ${id}`).not.toContain(id);
      const v = await callAs('v', path, await fresh());
      if (entry.write && !entry.viewerMay) expect(v).toBe('FORBIDDEN');
      else expect(isOk(v), `${path} as V: ${v}`).toBe(true);
      return;
    }

    // Owned: the owner may; everyone else meets NOT_FOUND for A's private things (viewers are
    // stopped earlier, by role, when the procedure changes anything).
    expect(DENIED, `${path} as A`).not.toContain(await callAs('a', path, await fresh()));
    expect(await callAs('b', path, await fresh())).toBe('NOT_FOUND');
    expect(await callAs('admin', path, await fresh())).toBe('NOT_FOUND');
    expect(await callAs('v', path, await fresh())).toBe(
      entry.write && !entry.viewerMay ? 'FORBIDDEN' : 'NOT_FOUND',
    );
    if (entry.shared) {
      const b = await callAs('b', path, await entry.shared(f));
      expect(isOk(b), `${path} on A's public strategy as B: ${b}`).toBe(true);
      const v = await callAs('v', path, await entry.shared(f));
      if (entry.write) expect(v).toBe('FORBIDDEN');
      else expect(isOk(v), `${path} on A's public strategy as V: ${v}`).toBe(true);
    }
  });

  it("refuses every change to A's public strategy by B with NOT_FOUND", async () => {
    const shared = await f.strategy('PUBLIC');
    const original = await p.db.prisma.strategy.findUniqueOrThrow({ where: { id: shared.id } });
    const attempts: Array<[string, unknown]> = [
      ['strategies.rename', { id: shared.id, name: 'hijacked' }],
      ['strategies.setVisibility', { id: shared.id, visibility: 'PRIVATE' }],
      ['strategies.delete', { id: shared.id }],
      ['versions.save', { strategyId: shared.id, graph: emaCross }],
    ];
    for (const [path, input] of attempts) expect(await callAs('b', path, input), path).toBe('NOT_FOUND');
    const row = await p.db.prisma.strategy.findUniqueOrThrow({
      where: { id: shared.id },
      include: { versions: true },
    });
    expect([row.name, row.visibility, row.deletedAt, row.versions.length]).toEqual([
      original.name,
      'PUBLIC',
      null,
      1,
    ]);
  });
});
