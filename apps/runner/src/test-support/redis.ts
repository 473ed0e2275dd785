// Helpers for queue tests on the real Redis that tools/test-setup.mjs started (testServices()).
import { randomUUID } from 'node:crypto';
import { testServices } from '@candleflow/db';

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
