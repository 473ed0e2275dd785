import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_KEY_FILE, resolveCredentialsKeys } from './credentials-keys';
import { loadEnv } from './env';

describe('resolveCredentialsKeys', () => {
  it('uses CREDENTIALS_KEYS with the first key active, or the one CREDENTIALS_KEY_ID names', () => {
    const keys = `a:${randomBytes(32).toString('base64')},b:${randomBytes(32).toString('base64')}`;
    const warnings: string[] = [];
    expect(
      resolveCredentialsKeys(loadEnv({ CREDENTIALS_KEYS: keys }), (m) => warnings.push(m)).active.id,
    ).toBe('a');
    const ring = resolveCredentialsKeys(
      loadEnv({ CREDENTIALS_KEYS: keys, CREDENTIALS_KEY_ID: 'b' }),
      () => {},
    );
    expect(ring.active.id).toBe('b');
    expect(ring.all).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  it('generates one development key under DATA_DIR, warns, and reuses it on the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-keys-'));
    const warnings: string[] = [];
    const first = resolveCredentialsKeys(loadEnv({ DATA_DIR: dir }), (m) => warnings.push(m));
    const second = resolveCredentialsKeys(loadEnv({ DATA_DIR: dir }), () => {});
    expect(first.active.key).toHaveLength(32);
    expect(second.active.key.equals(first.active.key)).toBe(true);
    expect(warnings[0]).toMatch(/CREDENTIALS_KEYS is not set/);
    expect(statSync(join(dir, DEV_KEY_FILE)).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, DEV_KEY_FILE), 'utf8')).toMatch(/^dev1:/);
  });
});
