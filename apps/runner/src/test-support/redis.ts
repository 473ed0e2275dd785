// Helpers for queue tests on the real Redis that tools/test-setup.mjs started (testServices()).
import { randomUUID } from 'node:crypto';
import { testServices } from '@candleflow/db';
import { Redis } from 'ioredis';

export function testRedisUrl(): string {
  return testServices().redisUrl;
}

/** A key prefix no other test uses, so tests share one Redis without seeing each other's jobs. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomUUID().slice(0, 8)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until check() is truthy; fails with `what` after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * The URL of a Redis logical database (1..15) that holds no keys, for programs that cannot take a key
 * prefix (runner processes started with REDIS_URL): tests and benchmarks then never see each other's jobs.
 */
export async function claimEmptyRedisDatabase(baseUrl: string): Promise<string> {
  const start = 1 + Math.floor(Math.random() * 15);
  for (let i = 0; i < 15; i++) {
    const db = ((start - 1 + i) % 15) + 1;
    const redis = new Redis(baseUrl, { db, lazyConnect: true });
    try {
      await redis.connect();
      if ((await redis.dbsize()) === 0) {
        const url = new URL(baseUrl);
        url.pathname = `/${db}`;
        return url.toString();
      }
    } finally {
      redis.disconnect();
    }
  }
  throw new Error(`no empty Redis database among 1..15 at ${baseUrl}; remove stale keys from one`);
}
