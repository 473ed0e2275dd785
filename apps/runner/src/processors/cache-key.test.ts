import { createHash } from 'node:crypto';
import { ENGINE_VERSION } from '@candleflow/engine';
import { describe, expect, it } from 'vitest';
import { backtestCacheKey, canonicalJson, settingsHash } from './cache-key';

const parts = { versionHash: 'v1', dataHash: 'd1', settingsHash: 's1' };

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('refuses numbers JSON cannot carry, naming where they are', () => {
    expect(() => canonicalJson({ fees: { taker: Number.NaN } })).toThrow(/\$\.fees\.taker is NaN/);
  });
});

describe('settingsHash', () => {
  it('is the same for the same settings written in another key order', () => {
    expect(settingsHash({ cash: 1000, fee: 0.001 })).toBe(settingsHash({ fee: 0.001, cash: 1000 }));
  });

  it('is the sha256 of the canonical text', () => {
    const expected = createHash('sha256').update('{"a":1,"b":2}').digest('hex');

    expect(settingsHash({ b: 2, a: 1 })).toBe(expected);
  });
});

describe('backtestCacheKey', () => {
  it('uses the current engine version by default', () => {
    expect(backtestCacheKey(parts)).toBe(backtestCacheKey({ ...parts, engineVersion: ENGINE_VERSION }));
  });

  it('changes when any part changes, including the engine version', () => {
    const keys = new Set([
      backtestCacheKey(parts),
      backtestCacheKey({ ...parts, versionHash: 'v2' }),
      backtestCacheKey({ ...parts, dataHash: 'd2' }),
      backtestCacheKey({ ...parts, settingsHash: 's2' }),
      backtestCacheKey({ ...parts, engineVersion: `${ENGINE_VERSION}-next` }),
    ]);

    expect(keys.size).toBe(5);
  });

  it('cannot be forged by moving text between parts', () => {
    expect(backtestCacheKey({ ...parts, versionHash: 'v1d', dataHash: '1' })).not.toBe(
      backtestCacheKey({ ...parts, versionHash: 'v1', dataHash: 'd1' }),
    );
  });
});
