// Per-user quotas on shared runners: concurrent jobs (enforced by the queues' per-user limit: extra jobs
// wait their turn), bars per job (checked at submit by checkQuota) and CPU time per job (CpuMeter).
import { PermanentJobError } from './queue/queue';

export interface Quotas {
  /** Jobs of one user running at once, across all runners (QUOTA_CONCURRENT_JOBS). */
  readonly concurrentJobs: number;
  /** Bars one backtest may read (QUOTA_BARS_PER_JOB). */
  readonly barsPerJob: number;
  /** CPU milliseconds one job may use (QUOTA_CPU_MS_PER_JOB). */
  readonly cpuMsPerJob: number;
}

export const DEFAULT_QUOTAS: Quotas = { concurrentJobs: 2, barsPerJob: 5_000_000, cpuMsPerJob: 600_000 };

export type QuotaName = 'bars_per_job' | 'cpu_ms_per_job';

/** A job over a quota: stable code QUOTA_EXCEEDED for the API; never retried. */
export class QuotaExceededError extends PermanentJobError {
  readonly code = 'QUOTA_EXCEEDED';
  constructor(
    readonly quota: QuotaName,
    readonly limit: number,
    readonly actual: number,
    message: string,
  ) {
    super(message);
  }
}

/** Called by the server before it queues a backtest; throws QuotaExceededError when the job is too big. */
export function checkQuota(request: { readonly bars: number }, quotas: Pick<Quotas, 'barsPerJob'>): void {
  if (request.bars > quotas.barsPerJob) {
    throw new QuotaExceededError(
      'bars_per_job',
      quotas.barsPerJob,
      request.bars,
      `this backtest reads ${request.bars.toLocaleString('en-US')} bars; the limit per job is ${quotas.barsPerJob.toLocaleString('en-US')}: choose a shorter date range or a higher timeframe`,
    );
  }
}

/**
 * CPU time since creation, from process.cpuUsage(). On Node 20 there is no per-thread CPU clock, so it is the
 * whole process's: with several jobs running in one process each is charged the others' time too, which can
 * only stop a job early, never let one run over its quota.
 */
export class CpuMeter {
  private readonly start = process.cpuUsage();

  elapsedMs(): number {
    const used = process.cpuUsage(this.start);
    return (used.user + used.system) / 1000;
  }
}

export function cpuLimitError(limitMs: number, usedMs: number): QuotaExceededError {
  return new QuotaExceededError(
    'cpu_ms_per_job',
    limitMs,
    usedMs,
    `the job used ${Math.round(usedMs).toLocaleString('en-US')} ms of CPU time, over the limit of ${limitMs.toLocaleString('en-US')} ms per job: shorten the date range or simplify the strategy`,
  );
}
