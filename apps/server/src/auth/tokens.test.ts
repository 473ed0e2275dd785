import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  API_TOKEN_PREFIX,
  generateApiToken,
  generateSecretToken,
  hashToken,
  isWellFormedToken,
  safeEqual,
} from './tokens';

describe('secret tokens', () => {
  it('carries 160 random bits as 32 base32 characters, different every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, generateSecretToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
  });

  it('stores the SHA-256 hex of the token text', () => {
    const token = generateSecretToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('makes API tokens with a recognisable prefix, their hash and a short visible prefix', () => {
    const { token, hash, prefix } = generateApiToken();
    expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
    expect(isWellFormedToken(token, API_TOKEN_PREFIX)).toBe(true);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(token.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(token.length / 2);
  });

  it('recognises malformed tokens without a database lookup', () => {
    expect(isWellFormedToken('')).toBe(false);
    expect(isWellFormedToken('A'.repeat(32))).toBe(false);
    expect(isWellFormedToken(`${'a'.repeat(32)}b`)).toBe(false);
    expect(isWellFormedToken(generateSecretToken(), API_TOKEN_PREFIX)).toBe(false);
  });

  it('compares strings for equality only when length and content match', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
