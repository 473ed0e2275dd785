// Deterministic market data for tests: a seeded random walk of bars.
import type { Bar } from '../contract';

/** mulberry32: a tiny seeded PRNG, so a failing test replays the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` consecutive bars of `timeframeMs` starting at `start`, prices a random walk around 100. */
export function randomWalkBars(
  count: number,
  seed = 1,
  start = Date.UTC(2024, 0, 1),
  timeframeMs = 60_000,
): Bar[] {
  const random = seededRandom(seed);
  const bars: Bar[] = [];
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.max(1, open * (1 + (random() - 0.5) * 0.02));
    const high = Math.max(open, close) * (1 + random() * 0.005);
    const low = Math.min(open, close) * (1 - random() * 0.005);
    bars.push({ time: start + i * timeframeMs, open, high, low, close, volume: Math.round(random() * 1000) });
    price = close;
  }
  return bars;
}
