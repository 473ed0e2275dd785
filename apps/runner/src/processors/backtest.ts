// The backtest job: load the run, serve it from the result cache or compute it, store the outcome.
// Thin on purpose: compiling and running live in execute.ts, storage behind RunStore.
import type { CandleSeries } from '@candleflow/data';
import { DEFAULT_QUOTAS } from '../quota';
import { errorMessage, isShutdown, type JobHandler, PermanentJobError } from '../queue/queue';
import type { RunStore, RunToProcess } from '../run-store';
import { type BacktestEngine, threadEngine } from './engine';
import type { BacktestRunSettings } from './execute';

export interface BacktestPayload {
  readonly runId: string;
}

export interface BacktestProcessorDeps {
  readonly store: RunStore;
  /** Reads the dataset's candles (DATA_DIR/datasets/<storagePath>). */
  readonly loadDataset: (dataset: RunToProcess['dataset']) => Promise<CandleSeries>;
  /** Default: threadEngine. */
  readonly engine?: BacktestEngine;
  readonly quotas?: { readonly cpuMsPerJob: number };
  /** Least time between two progress writes to the store (ms, default 1000). */
  readonly progressWriteMs?: number;
}

export function createBacktestProcessor(deps: BacktestProcessorDeps): JobHandler<BacktestPayload> {
  const engine = deps.engine ?? threadEngine;
  const cpuLimitMs = deps.quotas?.cpuMsPerJob ?? DEFAULT_QUOTAS.cpuMsPerJob;
  const writeEvery = deps.progressWriteMs ?? 1000;
  const { store } = deps;

  return async ({ job, attempt, isFinalAttempt, progress, signal }) => {
    const { runId } = job.payload;
    const run = await store.loadRun(runId);
    if (!run)
      throw new PermanentJobError(`backtest run ${runId} does not exist (deleted after it was queued?)`);
    if (!(await store.markRunning(runId, attempt))) return; // ended already: cancelled or finished
    try {
      const cached = await store.findCached(run.cacheKey, runId);
      if (cached) {
        await store.saveCachedResult(runId, attempt, cached.runId);
        progress(1, { cachedFrom: cached.runId });
        return;
      }
      const series = await deps.loadDataset(run.dataset);
      let lastWrite = 0;
      let writing: Promise<void> = Promise.resolve();
      const outcome = await engine(
        {
          runId,
          graph: run.strategyVersion.graph,
          settings: run.settings as BacktestRunSettings,
          series,
          cpuLimitMs,
        },
        {
          signal,
          onProgress: (done, total) => {
            const fraction = total === 0 ? 1 : done / total;
            progress(fraction, { bars: done, total });
            const now = Date.now();
            if (now - lastWrite >= writeEvery) {
              lastWrite = now;
              writing = writing.then(() => store.saveProgress(runId, attempt, fraction));
            }
          },
        },
      );
      await writing;
      if (signal.aborted || outcome.kind === 'stopped') {
        // A runner shutting down leaves the run RUNNING: the queue hands the job to another runner.
        if (!isShutdown(signal)) await store.markCanceled(runId);
        return;
      }
      await store.saveResult(runId, attempt, outcome.result);
    } catch (error) {
      if (signal.aborted && !isShutdown(signal)) {
        await store.markCanceled(runId);
        return;
      }
      if (error instanceof PermanentJobError || isFinalAttempt) {
        await store.saveFailure(runId, attempt, errorMessage(error));
      }
      throw error;
    }
  };
}
