import { describe, expect, it } from 'vitest';
import { CpuMeter, checkQuota, cpuLimitError, QuotaExceededError } from './quota';
import { PermanentJobError } from './queue/queue';

describe('checkQuota', () => {
  it('accepts a job at the bar limit', () => {
    expect(() => checkQuota({ bars: 1000 }, { barsPerJob: 1000 })).not.toThrow();
  });

  it('refuses a job over the bar limit with a stable code, the numbers and what to do', () => {
    let error: unknown;
    try {
      checkQuota({ bars: 1001 }, { barsPerJob: 1000 });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toBeInstanceOf(PermanentJobError);
    const quotaError = error as QuotaExceededError;
    expect([quotaError.code, quotaError.quota, quotaError.limit, quotaError.actual]).toEqual([
      'QUOTA_EXCEEDED',
      'bars_per_job',
      1000,
      1001,
    ]);
    expect(quotaError.message).toMatch(/1,001 bars.*1,000.*shorter date range/);
  });
});

describe('CpuMeter', () => {
  it('counts CPU time spent after it was created', () => {
    const meter = new CpuMeter();
    const before = meter.elapsedMs();
    const until = performance.now() + 30;
    let spin = 0;
    while (performance.now() < until) spin++;

    expect(spin).toBeGreaterThan(0);
    expect(meter.elapsedMs() - before).toBeGreaterThanOrEqual(10);
  });

  it('describes a job over its CPU quota', () => {
    const error = cpuLimitError(100, 150.4);

    expect([error.quota, error.limit, error.actual]).toEqual(['cpu_ms_per_job', 100, 150.4]);
    expect(error.message).toMatch(/150 ms of CPU time, over the limit of 100 ms/);
  });
});
