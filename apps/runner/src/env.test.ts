import { describe, expect, it } from 'vitest';
import { readRunnerEnv } from './env';

describe('readRunnerEnv', () => {
  it('fills the documented defaults', () => {
    const env = readRunnerEnv({});

    expect([env.DATA_DIR, env.RUNNER_CONCURRENCY, env.QUOTA_CONCURRENT_JOBS]).toEqual([
      './.candleflow',
      1,
      2,
    ]);
    expect([env.QUOTA_BARS_PER_JOB, env.QUOTA_CPU_MS_PER_JOB, env.REDIS_URL]).toEqual([
      5_000_000,
      600_000,
      undefined,
    ]);
  });

  it('reads numbers from their text', () => {
    expect(readRunnerEnv({ RUNNER_CONCURRENCY: '4', REDIS_URL: 'redis://h:6379' })).toMatchObject({
      RUNNER_CONCURRENCY: 4,
      REDIS_URL: 'redis://h:6379',
    });
  });

  it('names every bad variable in one error', () => {
    expect(() => readRunnerEnv({ RUNNER_CONCURRENCY: '0', QUOTA_CPU_MS_PER_JOB: 'lots' })).toThrow(
      /invalid runner environment: RUNNER_CONCURRENCY: .*; QUOTA_CPU_MS_PER_JOB: /,
    );
  });
});

describe('empty variables', () => {
  it('take the default, as an unset variable does', () => {
    expect(readRunnerEnv({ TRIALS_THREADS: '', RUNNER_CONCURRENCY: ' ' })).toMatchObject({
      TRIALS_THREADS: 1,
      RUNNER_CONCURRENCY: 1,
    });
  });
});
