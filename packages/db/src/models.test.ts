import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { Prisma } from './generated/client';
import { BACKENDS, openTestDatabase } from './test-support/services';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const unique = () => randomBytes(4).toString('hex');

describe.each(BACKENDS)('models on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  const newUser = (role: 'ADMIN' | 'TRADER' | 'VIEWER' = 'TRADER') =>
    db.prisma.user.create({ data: { email: `${unique()}@example.test`, passwordHash: 'argon2id$x', role } });

  async function newStrategyWithVersion(ownerId: string) {
    const strategy = await db.prisma.strategy.create({ data: { ownerId, name: 'EMA cross' } });
    const graph = { schemaVersion: 1, nodes: [{ id: 'n1', type: 'ema', version: 1 }], edges: [] };
    const version = await db.prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 1,
        graph,
        dslText: 'strategy "EMA cross" {}',
        contentHash: sha256(JSON.stringify(graph)),
        params: [{ name: 'fast', type: 'int', default: 12 }],
        createdById: ownerId,
      },
    });
    return { strategy, version, graph };
  }

  async function newDataset(ownerId: string) {
    return db.prisma.dataset.create({
      data: {
        ownerId,
        name: 'BTC 1h',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        bars: 2,
        firstTime: 1_700_000_000_000n,
        lastTime: 1_700_003_600_000n,
        dataHash: sha256('bars'),
        storagePath: `${ownerId}/btc.cfc`,
        source: 'UPLOAD',
        importReport: { skippedRows: 0 },
      },
    });
  }

  it('stores and reads back a user with its role and a default creation time', async () => {
    const before = Date.now();
    const user = await newUser('VIEWER');

    const read = await db.prisma.user.findUniqueOrThrow({ where: { email: user.email } });

    expect(read).toEqual(user);
    expect(read.role).toBe('VIEWER');
    expect(read.createdAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
  });

  it('stores sessions by token hash and finds the unexpired ones', async () => {
    const user = await newUser();
    const live = sha256(`token-${unique()}`);
    const expired = sha256(`token-${unique()}`);
    await db.prisma.session.createMany({
      data: [
        { id: live, userId: user.id, expiresAt: new Date(Date.now() + 86_400_000), csrfSecret: 's' },
        { id: expired, userId: user.id, expiresAt: new Date(Date.now() - 1_000) },
      ],
    });

    const valid = await db.prisma.session.findMany({
      where: { userId: user.id, expiresAt: { gt: new Date() } },
    });
    await db.prisma.session.update({
      where: { id: live },
      data: { expiresAt: new Date(Date.now() + 2 * 86_400_000) },
    });
    await db.prisma.session.delete({ where: { id: expired } });

    expect(valid.map((s) => s.id)).toEqual([live]);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it('stores API tokens with scopes and rejects a duplicate token hash', async () => {
    const user = await newUser();
    const tokenHash = sha256(`cf_${unique()}`);
    const token = await db.prisma.apiToken.create({
      data: {
        userId: user.id,
        name: 'ci',
        tokenHash,
        prefix: 'cf_ab12',
        scopes: ['strategies:read', 'backtests:write'],
      },
    });

    await db.prisma.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    const read = await db.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash } });
    const duplicate = db.prisma.apiToken.create({
      data: { userId: user.id, name: 'again', tokenHash, prefix: 'cf_ab12', scopes: [] },
    });

    expect(read.scopes).toEqual(['strategies:read', 'backtests:write']);
    expect(read.revokedAt).toBeInstanceOf(Date);
    await expect(duplicate).rejects.toMatchObject({ code: 'P2002' });
  });

  it('stores exchange credential ciphertext as bytes, byte for byte', async () => {
    const user = await newUser();
    const ciphertext = new Uint8Array(randomBytes(12 + 16 + 40));

    const created = await db.prisma.exchangeCredential.create({
      data: {
        userId: user.id,
        exchange: 'binance',
        label: 'main',
        keyId: 'k1',
        ciphertext,
        apiKeyLast4: 'WXYZ',
      },
    });
    const read = await db.prisma.exchangeCredential.findUniqueOrThrow({ where: { id: created.id } });
    const rotated = await db.prisma.exchangeCredential.update({
      where: { id: created.id },
      data: { keyId: 'k2' },
    });

    expect(Buffer.from(read.ciphertext).equals(Buffer.from(ciphertext))).toBe(true);
    expect(rotated.updatedAt.getTime()).toBeGreaterThanOrEqual(read.updatedAt.getTime());
    expect(rotated.keyId).toBe('k2');
  });

  it('stores strategies and their versions with graph JSON, and numbers versions uniquely', async () => {
    const user = await newUser();
    const { strategy, version, graph } = await newStrategyWithVersion(user.id);

    const read = await db.prisma.strategy.findUniqueOrThrow({
      where: { id: strategy.id },
      include: { versions: true },
    });
    const sameNumber = db.prisma.strategyVersion.create({
      data: { ...version, id: undefined, graph: version.graph as Prisma.InputJsonValue, params: [] },
    });
    const fork = await db.prisma.strategy.create({
      data: { ownerId: user.id, name: 'fork', forkedFromVersionId: version.id, visibility: 'PUBLIC' },
    });

    expect(read.visibility).toBe('PRIVATE');
    expect(read.versions).toHaveLength(1);
    expect(read.versions[0]?.graph).toEqual(graph);
    expect(read.versions[0]?.params).toEqual([{ name: 'fast', type: 'int', default: 12 }]);
    await expect(sameNumber).rejects.toMatchObject({ code: 'P2002' });
    expect(fork.forkedFromVersionId).toBe(version.id);
  });

  it('stores datasets with 64-bit millisecond times', async () => {
    const user = await newUser();
    const dataset = await newDataset(user.id);

    const read = await db.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } });
    await db.prisma.dataset.update({ where: { id: dataset.id }, data: { deletedAt: new Date() } });
    const visible = await db.prisma.dataset.count({ where: { ownerId: user.id, deletedAt: null } });

    expect(read.firstTime).toBe(1_700_000_000_000n);
    expect(read.lastTime - read.firstTime).toBe(3_600_000n);
    expect(read.importReport).toEqual({ skippedRows: 0 });
    expect(visible).toBe(0);
  });

  it('stores a backtest run with its settings, status and result JSON', async () => {
    const user = await newUser();
    const { version } = await newStrategyWithVersion(user.id);
    const dataset = await newDataset(user.id);
    const run = await db.prisma.backtestRun.create({
      data: {
        ownerId: user.id,
        strategyVersionId: version.id,
        datasetId: dataset.id,
        settings: { initialCash: 10_000, fees: { taker: 0.001 } },
        settingsHash: sha256('settings'),
        engineVersion: '1.0.0',
        cacheKey: sha256('key'),
      },
    });

    await db.prisma.backtestRun.update({
      where: { id: run.id },
      data: { status: 'SUCCEEDED', metrics: { sharpe: 1.25 }, trades: [], progress: 1 },
    });
    const read = await db.prisma.backtestRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { strategyVersion: true, dataset: true },
    });

    expect(run.status).toBe('QUEUED');
    expect(run.attempts).toBe(0);
    expect(run.progress).toBe(0);
    expect(read.status).toBe('SUCCEEDED');
    expect(read.metrics).toEqual({ sharpe: 1.25 });
    expect(read.settings).toEqual({ initialCash: 10_000, fees: { taker: 0.001 } });
    expect(read.strategyVersion.id).toBe(version.id);
    expect(read.dataset.id).toBe(dataset.id);
  });

  it('stores audit events with or without a user', async () => {
    const user = await newUser();
    await db.prisma.auditEvent.createMany({
      data: [
        { userId: user.id, action: 'auth.login', ip: '127.0.0.1', details: { method: 'password' } },
        { action: 'auth.login_failed', details: { email: 'nobody@example.test' } },
      ],
    });

    const mine = await db.prisma.auditEvent.findMany({ where: { userId: user.id } });
    const anonymous = await db.prisma.auditEvent.findFirst({
      where: { action: 'auth.login_failed', userId: null },
    });

    expect(mine.map((e) => e.action)).toEqual(['auth.login']);
    expect(mine[0]?.details).toEqual({ method: 'password' });
    expect(anonymous?.details).toEqual({ email: 'nobody@example.test' });
  });

  it('rejects a second user with the same email', async () => {
    const user = await newUser();

    const duplicate = db.prisma.user.create({ data: { email: user.email, passwordHash: 'x' } });

    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: 'P2002' });
  });

  it('leaves nothing behind when a transaction fails half way', async () => {
    const user = await newUser();
    const name = `atomic-${unique()}`;

    const attempt = db.prisma.$transaction(async (tx) => {
      const strategy = await tx.strategy.create({ data: { ownerId: user.id, name } });
      await tx.strategyVersion.create({
        data: {
          strategyId: strategy.id,
          number: 1,
          graph: {},
          dslText: '',
          contentHash: 'h',
          params: [],
          createdById: 'no-such-user',
        },
      });
    });

    await expect(attempt).rejects.toMatchObject({ code: 'P2003' });
    expect(await db.prisma.strategy.count({ where: { name } })).toBe(0);
  });

  it('deletes a user together with everything the user owns', async () => {
    const user = await newUser();
    const { version } = await newStrategyWithVersion(user.id);
    const dataset = await newDataset(user.id);
    await db.prisma.backtestRun.create({
      data: {
        ownerId: user.id,
        strategyVersionId: version.id,
        datasetId: dataset.id,
        settings: {},
        settingsHash: 's',
        engineVersion: '1',
        cacheKey: 'k',
      },
    });
    await db.prisma.auditEvent.create({ data: { userId: user.id, action: 'strategy.save' } });

    await db.prisma.user.delete({ where: { id: user.id } });

    expect(await db.prisma.strategy.count({ where: { ownerId: user.id } })).toBe(0);
    expect(await db.prisma.backtestRun.count({ where: { ownerId: user.id } })).toBe(0);
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'strategy.save', userId: null } }),
    ).toBeGreaterThan(0);
  });

  it('takes the runs computed on a dataset with it when the dataset is hard-deleted', async () => {
    const user = await newUser();
    const { version } = await newStrategyWithVersion(user.id);
    const dataset = await newDataset(user.id);
    const run = await db.prisma.backtestRun.create({
      data: {
        ownerId: user.id,
        strategyVersionId: version.id,
        datasetId: dataset.id,
        settings: {},
        settingsHash: 's',
        engineVersion: '1',
        cacheKey: 'k',
      },
    });

    await db.prisma.dataset.delete({ where: { id: dataset.id } });

    expect(await db.prisma.backtestRun.count({ where: { id: run.id } })).toBe(0);
    expect(await db.prisma.strategyVersion.count({ where: { id: version.id } })).toBe(1);
  });

  it("keeps a version in another user's strategy when its author's account is deleted", async () => {
    const owner = await newUser();
    const author = await newUser();
    const { strategy } = await newStrategyWithVersion(owner.id);
    const version = await db.prisma.strategyVersion.create({
      data: {
        strategyId: strategy.id,
        number: 2,
        graph: {},
        dslText: '',
        contentHash: 'h2',
        params: [],
        createdById: author.id,
      },
    });

    await db.prisma.user.delete({ where: { id: author.id } });

    const read = await db.prisma.strategyVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(read.createdById).toBeNull();
  });
});
