// Test-only market data: a small reader for the shared reference CSV files (the real importer lives in
// packages/data) and a seeded synthetic bar series for tests that must not depend on those files.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bar } from '@candleflow/strategy-dsl';

/** /work/shared/data beside the repository root: five levels up from this folder. */
export const SHARED_DATA_DIR = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

export const sharedDataExists = existsSync(SHARED_DATA_DIR);

if (!sharedDataExists) {
  console.warn(`reference data folder ${SHARED_DATA_DIR} is absent: reference-value tests are skipped`);
}

/**
 * Reads `,Open,High,Low,Close,Volume` (a date or naive UTC datetime index) or
 * `timestamp,open,high,low,close,volume` (UTC ms) files into bars. Throws naming the line on a bad row.
 */
export function readSharedBars(file: string): Bar[] {
  const path = `${SHARED_DATA_DIR}${file}`;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const bars: Bar[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length < 6) throw new Error(`${path}:${i + 1}: expected 6 columns, found ${cells.length}`);
    const stamp = cells[0] as string;
    const time = /^\d+$/.test(stamp) ? Number(stamp) : Date.parse(`${stamp.replace(' ', 'T')}Z`);
    const [open, high, low, close, volume] = cells.slice(1, 6).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (!Number.isFinite(time) || ![open, high, low, close, volume].every(Number.isFinite)) {
      throw new Error(`${path}:${i + 1}: cannot read "${line}" as a bar`);
    }
    bars.push({ time, open, high, low, close, volume });
  }
  return bars;
}

/** A seeded random walk of plausible bars (high ≥ open, close ≥ low), `stepMs` apart from 2024-01-01 UTC. */
export function syntheticBars(count: number, seed = 1, stepMs = 3_600_000): Bar[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: deterministic and good enough for test data.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const bars: Bar[] = [];
  let price = 100;
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.max(1, open * (1 + (random() - 0.5) * 0.04));
    const high = Math.max(open, close) * (1 + random() * 0.01);
    const low = Math.min(open, close) * (1 - random() * 0.01);
    const volume = Math.round(random() * 1000) + (i % 7 === 0 ? 0 : 1);
    bars.push({ time: start + i * stepMs, open, high, low, close, volume });
    price = close;
  }
  return bars;
}

export const closes = (bars: readonly Bar[]): number[] => bars.map((b) => b.close);
