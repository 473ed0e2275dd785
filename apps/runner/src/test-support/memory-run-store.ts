// An in-memory RunStore with the fencing rules of the contract, for processor unit tests only; the
// database tests use packages/db's implementation against PGlite and PostgreSQL.
import type { RunResult, RunStatus, RunStore, RunToProcess } from '../run-store';

export interface MemoryRun {
  run: RunToProcess;
  status: RunStatus;
  attempts: number;
  progress: number;
  result: RunResult | null;
  error: string | null;
  resultOfRunId: string | null;
  /** Every write in order, to assert on exactly-once behaviour. */
  writes: string[];
}

export class MemoryRunStore implements RunStore {
  readonly runs = new Map<string, MemoryRun>();

  put(run: RunToProcess): MemoryRun {
    const record: MemoryRun = {
      run,
      status: run.status,
      attempts: run.attempts,
      progress: 0,
      result: null,
      error: null,
      resultOfRunId: null,
      writes: [],
    };
    this.runs.set(run.id, record);
    return record;
  }

  async loadRun(runId: string): Promise<RunToProcess | null> {
    const record = this.runs.get(runId);
    return record ? { ...record.run, status: record.status, attempts: record.attempts } : null;
  }

  async markRunning(runId: string, attempt: number): Promise<boolean> {
    const record = this.runs.get(runId);
    if (!record || (record.status !== 'QUEUED' && record.status !== 'RUNNING')) return false;
    record.status = 'RUNNING';
    record.attempts = attempt;
    record.writes.push(`running:${attempt}`);
    return true;
  }

  async saveProgress(runId: string, attempt: number, fraction: number): Promise<void> {
    const record = this.owned(runId, attempt);
    if (record) record.progress = fraction;
  }

  async saveResult(runId: string, attempt: number, result: RunResult): Promise<boolean> {
    const record = this.owned(runId, attempt);
    if (!record) return false;
    Object.assign(record, { status: 'SUCCEEDED', result, progress: 1 });
    record.writes.push(`result:${attempt}`);
    return true;
  }

  async saveFailure(runId: string, attempt: number, error: string): Promise<boolean> {
    const record = this.owned(runId, attempt);
    if (!record) return false;
    Object.assign(record, { status: 'FAILED', error });
    record.writes.push(`failure:${attempt}`);
    return true;
  }

  async markCanceled(runId: string): Promise<void> {
    const record = this.runs.get(runId);
    if (record && (record.status === 'QUEUED' || record.status === 'RUNNING')) {
      record.status = 'CANCELED';
      record.writes.push('canceled');
    }
  }

  async findCached(cacheKey: string, runId: string): Promise<{ runId: string } | null> {
    for (const [id, record] of this.runs) {
      if (
        id !== runId &&
        record.run.cacheKey === cacheKey &&
        record.status === 'SUCCEEDED' &&
        !record.resultOfRunId
      ) {
        return { runId: id };
      }
    }
    return null;
  }

  async saveCachedResult(runId: string, attempt: number, cachedRunId: string): Promise<boolean> {
    const record = this.owned(runId, attempt);
    const cached = this.runs.get(cachedRunId);
    if (!record || !cached?.result) return false;
    Object.assign(record, {
      status: 'SUCCEEDED',
      result: cached.result,
      resultOfRunId: cachedRunId,
      progress: 1,
    });
    record.writes.push(`cached:${attempt}`);
    return true;
  }

  private owned(runId: string, attempt: number): MemoryRun | undefined {
    const record = this.runs.get(runId);
    return record?.status === 'RUNNING' && record.attempts === attempt ? record : undefined;
  }
}
