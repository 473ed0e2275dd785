// Where queue tests find a real Redis: the test services file written by tools/test-setup.mjs, else
// TEST_REDIS_URL, else a local redis-server on 6391 (`redis-server --daemonize yes --port 6391 ...`).
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const servicesFile = new URL('../../../../.candleflow/test-services.json', import.meta.url);

export function testRedisUrl(): string {
  if (existsSync(servicesFile)) {
    const services = JSON.parse(readFileSync(servicesFile, 'utf8')) as {
      redisUrl?: string;
      TEST_REDIS_URL?: string;
    };
    const url = services.redisUrl ?? services.TEST_REDIS_URL;
    if (url) return url;
  }
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6391';
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
