import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvError, ENV_VARIABLES, loadEnv } from './env';

const key = () => randomBytes(32).toString('base64');

function problemsOf(source: Record<string, string>): Array<{ variable: string; problem: string }> {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return [...error.problems];
    throw error;
  }
  throw new Error('expected loadEnv to fail');
}

describe('loadEnv', () => {
  it('fills every default of the platform design for an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: './.candleflow',
      SESSION_TTL_DAYS: 30,
      MAX_GRAPH_NODES: 2000,
      BODY_LIMIT_BYTES: 5 * 1024 * 1024,
      UPLOAD_LIMIT_BYTES: 50 * 1024 * 1024,
      QUOTA_CONCURRENT_JOBS: 2,
      QUOTA_BARS_PER_JOB: 5_000_000,
      QUOTA_CPU_MS_PER_JOB: 600_000,
      RUNNER_CONCURRENCY: 1,
      SEED_DEMO: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.CREDENTIALS_KEYS).toBeUndefined();
  });

  it('seeds the demo only in development unless told otherwise', () => {
    expect(loadEnv({ NODE_ENV: 'test' }).SEED_DEMO).toBe(false);
    expect(loadEnv({ NODE_ENV: 'test', SEED_DEMO: 'yes' }).SEED_DEMO).toBe(true);
    expect(loadEnv({ SEED_DEMO: '0' }).SEED_DEMO).toBe(false);
  });

  it('parses numbers, including thousands separators, and treats empty values as unset', () => {
    const env = loadEnv({ PORT: '8080', QUOTA_BARS_PER_JOB: '1,000,000', RUNNER_CONCURRENCY: '4', HOST: '' });
    expect(env.PORT).toBe(8080);
    expect(env.QUOTA_BARS_PER_JOB).toBe(1_000_000);
    expect(env.RUNNER_CONCURRENCY).toBe(4);
    expect(env.HOST).toBe('127.0.0.1');
  });

  it('requires CREDENTIALS_KEYS in production and says how to make one', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe('CREDENTIALS_KEYS');
    expect(problems[0]?.problem).toMatch(/required in production.*openssl rand -base64 32/);
  });

  it('accepts a production environment with keys, ordered as given, first one active', () => {
    const k1 = key();
    const k2 = key();
    const env = loadEnv({
      NODE_ENV: 'production',
      CREDENTIALS_KEYS: `new:${k1}, old:${k2}`,
      DATABASE_URL: 'postgres://u:p@db:5432/candleflow',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(env.CREDENTIALS_KEYS?.map((k) => k.id)).toEqual(['new', 'old']);
    expect(env.CREDENTIALS_KEYS?.[0]?.key.equals(Buffer.from(k1, 'base64'))).toBe(true);
  });

  it('names each bad variable and its problem in one error', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      NODE_ENV: 'staging',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      SESSION_TTL_DAYS: '0',
      SEED_DEMO: 'maybe',
    });
    const byVariable = Object.fromEntries(problems.map((p) => [p.variable, p.problem]));
    expect(Object.keys(byVariable).sort()).toEqual(
      ['DATABASE_URL', 'NODE_ENV', 'PORT', 'REDIS_URL', 'SEED_DEMO', 'SESSION_TTL_DAYS'].sort(),
    );
    expect(byVariable.PORT).toMatch(/whole number/);
    expect(byVariable.DATABASE_URL).toMatch(/postgres/);
    expect(byVariable.SESSION_TTL_DAYS).toMatch(/at least 1/);
    expect(byVariable.SEED_DEMO).toMatch(/true or false/);
  });

  it('puts the variable names in the error message', () => {
    expect(() => loadEnv({ PORT: '70000' })).toThrow(/PORT must be at most 65535/);
  });

  it('rejects credentials keys of the wrong length, bad ids and duplicates', () => {
    const good = key();
    const short = randomBytes(16).toString('base64');
    expect(problemsOf({ CREDENTIALS_KEYS: `k1:${short}` })[0]?.problem).toMatch(/32 bytes.*got 16/);
    expect(problemsOf({ CREDENTIALS_KEYS: good })[0]?.problem).toMatch(/keyId:base64key/);
    expect(problemsOf({ CREDENTIALS_KEYS: `a:${good},a:${key()}` })[0]?.problem).toMatch(/appears twice/);
    expect(problemsOf({ CREDENTIALS_KEYS: `k1:${good.slice(0, -4)}!!!!` })[0]?.problem).toMatch(/32 bytes/);
  });

  it('checks that CREDENTIALS_KEY_ID names a configured key', () => {
    const problems = problemsOf({ CREDENTIALS_KEYS: `a:${key()}`, CREDENTIALS_KEY_ID: 'b' });
    expect(problems).toEqual([
      { variable: 'CREDENTIALS_KEY_ID', problem: expect.stringMatching(/"b".*not among/) },
    ]);
    expect(
      loadEnv({ CREDENTIALS_KEYS: `a:${key()},b:${key()}`, CREDENTIALS_KEY_ID: 'b' }).CREDENTIALS_KEY_ID,
    ).toBe('b');
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    expect([...ENV_VARIABLES].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !(ENV_VARIABLES as readonly string[]).includes(name!))).toEqual(
      [],
    );
  });
});
