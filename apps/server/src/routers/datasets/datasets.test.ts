// Datasets over HTTP: CSV imports stored as columnar files the runner can read, seeded generation,
// per-user visibility, refusals with the bad line and nothing written, and the delete rule.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCandles, hashCandles, parseCandlesCsv, readCandleCache } from '@candleflow/data';
import { BACKENDS } from '@candleflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, query } from '../../test-support/server';
import { type Platform, rowCounts, startPlatform } from '../backtests/test-support/platform';

const DEMO_CSV = readFileSync(
  new URL('../../../../../examples/data/demo-btc-1h.csv', import.meta.url),
  'utf8',
);
const SMALL_CSV = DEMO_CSV.split('\n').slice(0, 201).join('\n');
const SHARED = new URL('../../../../../../shared/data/', import.meta.url);
const sharedExists = existsSync(SHARED);
if (!sharedExists) console.log(`skipping reference-data imports: ${SHARED.pathname} is absent`);

interface Dataset {
  id: string;
  bars: number;
  dataHash: string;
  timeframe: string;
  firstTime: number;
  lastTime: number;
}

describe.each(BACKENDS)('datasets on %s', (backend) => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ backend, queue: 'none', env: { UPLOAD_LIMIT_BYTES: '200000' } });
  });
  afterAll(async () => {
    await p?.close();
  });
  const a = () => p.users.a.caller;

  it('imports CSV into a columnar file under DATA_DIR/datasets that holds exactly the parsed candles', async () => {
    const expected = parseCandlesCsv(SMALL_CSV, { symbol: 'BTC/USDT' }).series;

    const res = await mutate<Dataset>(
      p.app,
      'datasets.importCsv',
      { name: 'demo', symbol: 'BTC/USDT', csv: SMALL_CSV },
      a(),
    );

    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ bars: 200, timeframe: '1h', dataHash: hashCandles(expected) });
    expect(res.data.firstTime).toBe(Date.parse('2024-01-01T00:00:00Z'));
    const row = await p.db.prisma.dataset.findUniqueOrThrow({ where: { id: res.data.id } });
    expect(row.storagePath).toBe(`${p.users.a.id}/${row.id}.cfc`);
    const stored = readCandleCache(join(p.dataDir, 'datasets', row.storagePath));
    expect(Array.from(stored.close)).toEqual(Array.from(expected.close));
    expect(
      await p.db.prisma.auditEvent.count({ where: { action: 'dataset.import', targetId: row.id } }),
    ).toBe(1);
  });

  it('refuses a corrupt file with its line and column, leaving no row and no file', async () => {
    const lines = SMALL_CSV.split('\n');
    lines[10] = '2024-01-01T09:00:00.000Z,30000,29000,30100,30050,10';
    const before = await rowCounts(p.db);
    const files = () =>
      existsSync(join(p.dataDir, 'datasets'))
        ? readdirSync(join(p.dataDir, 'datasets'), { recursive: true }).length
        : 0;
    const filesBefore = files();

    const res = await mutate(
      p.app,
      'datasets.importCsv',
      { name: 'bad', symbol: 'BTC/USDT', csv: lines.join('\n'), fileName: 'x.csv' },
      a(),
    );

    expect(res.error?.data.code).toBe('VALIDATION_FAILED');
    expect(res.error?.data.details).toMatchObject({ file: 'x.csv', line: 11 });
    expect(res.error?.message).toContain('x.csv:11');
    expect(await rowCounts(p.db)).toEqual(before);
    expect(files()).toBe(filesBefore);
  });

  it('refuses a header-only file, an unknown timeframe and text over the upload limit', async () => {
    const header = await mutate(
      p.app,
      'datasets.importCsv',
      { name: 'h', symbol: 'BTC', csv: 'timestamp,open,high,low,close,volume\n' },
      a(),
    );
    const tf = await mutate(
      p.app,
      'datasets.importCsv',
      { name: 'h', symbol: 'BTC', timeframe: '7x', csv: SMALL_CSV },
      a(),
    );
    const big = await mutate(
      p.app,
      'datasets.importCsv',
      { name: 'h', symbol: 'BTC', csv: DEMO_CSV.slice(0, 300_000) },
      a(),
    );
    expect(header.error?.data.code).toBe('VALIDATION_FAILED');
    expect(tf.error?.data.code).toBe('VALIDATION_FAILED');
    expect([big.status, big.error?.data.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('generates the same candles from the same seed, as generateCandles does', async () => {
    const input = { symbol: 'ETH/USDT', timeframe: '4h', bars: 500, seed: 7 };
    const expected = generateCandles({ ...input, start: '2024-01-01T00:00:00Z', startPrice: 30_000 });

    const first = await mutate<Dataset>(p.app, 'datasets.generate', input, a());
    const again = await mutate<Dataset>(p.app, 'datasets.generate', input, a());
    const other = await mutate<Dataset>(p.app, 'datasets.generate', { ...input, seed: 8 }, a());

    expect(first.data).toMatchObject({ bars: 500, timeframe: '4h', dataHash: hashCandles(expected) });
    expect(again.data.dataHash).toBe(first.data.dataHash);
    expect(other.data.dataHash).not.toBe(first.data.dataHash);
    const offGrid = await mutate(
      p.app,
      'datasets.generate',
      { ...input, start: '2024-01-01T01:30:00Z' },
      a(),
    );
    expect(offGrid.error?.data.code).toBe('VALIDATION_FAILED');
  });

  it('shows each user only their own datasets', async () => {
    const mine = await mutate<Dataset>(p.app, 'datasets.generate', { bars: 50 }, a());
    const b = p.users.b.caller;

    const list = await query<Dataset[]>(p.app, 'datasets.list', undefined, b);
    const get = await query(p.app, 'datasets.get', { id: mine.data.id }, b);
    const del = await mutate(p.app, 'datasets.delete', { id: mine.data.id }, b);

    expect(list.data.map((d) => d.id)).not.toContain(mine.data.id);
    expect([get.error?.data.code, del.error?.data.code]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect((await query<Dataset>(p.app, 'datasets.get', { id: mine.data.id }, a())).data.id).toBe(
      mine.data.id,
    );
  });

  it('refuses to delete a dataset a queued run uses, then soft-deletes it once that run has ended', async () => {
    const ds = await mutate<Dataset>(p.app, 'datasets.generate', { bars: 50 }, a());
    const strategy = await mutate<{ version: { id: string } }>(
      p.app,
      'strategies.create',
      { template: 'ema-cross' },
      a(),
    );
    const run = await p.db.prisma.backtestRun.create({
      data: {
        ownerId: p.users.a.id,
        strategyVersionId: strategy.data.version.id,
        datasetId: ds.data.id,
        settings: {},
        settingsHash: 's',
        engineVersion: 'e',
        cacheKey: 'k',
      },
    });

    const refused = await mutate(p.app, 'datasets.delete', { id: ds.data.id }, a());
    expect([refused.status, refused.error?.data.code]).toEqual([409, 'CONFLICT']);

    await p.db.prisma.backtestRun.update({ where: { id: run.id }, data: { status: 'CANCELED' } });
    expect((await mutate(p.app, 'datasets.delete', { id: ds.data.id }, a())).status).toBe(200);
    const row = await p.db.prisma.dataset.findUniqueOrThrow({ where: { id: ds.data.id } });
    expect(row.deletedAt).not.toBeNull();
    expect((await query(p.app, 'datasets.get', { id: ds.data.id }, a())).error?.data.code).toBe('NOT_FOUND');
  });

  describe.skipIf(!sharedExists)('reference data from /work/shared/data', () => {
    it('imports GOOG daily bars with every row', async () => {
      const csv = readFileSync(new URL('GOOG.csv', SHARED), 'utf8');
      const rows = csv.trim().split('\n').length - 1;
      const res = await mutate<Dataset>(
        p.app,
        'datasets.importCsv',
        { name: 'GOOG', symbol: 'GOOG', timeframe: '1d', csv },
        a(),
      );
      expect(res.status).toBe(200);
      expect(res.data.bars).toBeGreaterThanOrEqual(rows);
    });
  });
});
