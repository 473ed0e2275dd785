// The `trials` job: one batch of an optimization's trials, evaluated on this process's trial pool and
// stored. Any runner may take it; the parent (optimize-job.ts) waits for it. Idempotent: a retry
// evaluates the batch again and stores the same rows.
import { OptimizeSpecSchema } from '@candleflow/optimize';
import { DEFAULT_QUOTAS } from '../quota';
import { isShutdown, type JobHandler } from '../queue/queue';
import type { TrialTask } from './evaluate';
import type { TrialContext } from './pool-messages';
import { recordEvaluations } from './record';
import type { OptimizationStore, OptimizationToRun } from './store';
import type { TrialPool } from './trial-pool';

export interface TrialsPayload {
  readonly optimizationId: string;
  readonly tasks: readonly TrialTask[];
}

export interface TrialsProcessorDeps {
  readonly store: OptimizationStore;
  readonly pool: TrialPool;
  readonly quotas?: { readonly cpuMsPerJob: number };
}

/** A job's trials plus what they share, as the pool takes them. */
export function trialContext(optimization: OptimizationToRun): TrialContext {
  return {
    key: optimization.id,
    graph: optimization.strategyVersion.graph,
    settings: optimization.settings as TrialContext['settings'],
    dataset: optimization.dataset,
  };
}

export function createTrialsProcessor(deps: TrialsProcessorDeps): JobHandler<TrialsPayload> {
  const { store, pool } = deps;
  const cpuLimitMs = deps.quotas?.cpuMsPerJob ?? DEFAULT_QUOTAS.cpuMsPerJob;
  // An optimization's batches keep coming: read its row once per process, not once per batch.
  const loaded = new Map<string, Promise<OptimizationToRun | null>>();
  const load = (id: string) => {
    let found = loaded.get(id);
    if (!found) {
      found = store.loadOptimization(id);
      loaded.set(id, found);
      if (loaded.size > 16) loaded.delete(loaded.keys().next().value!);
    }
    return found;
  };

  return async ({ job, signal, progress }) => {
    const { optimizationId, tasks } = job.payload;
    const optimization = await load(optimizationId);
    // Deleted, cancelled or finished: nobody waits for these trials.
    if (!optimization || (await store.status(optimizationId)) !== 'RUNNING') return;
    const { objective } = OptimizeSpecSchema.parse(optimization.spec);
    const evaluations = await pool.evaluate(trialContext(optimization), tasks, { cpuLimitMs, signal });
    // Cancelled: no trial counts as evaluated after the cancel. Shut down: keep what was computed.
    if (signal.aborted && !isShutdown(signal)) return;
    await recordEvaluations(store, optimizationId, objective, evaluations);
    progress(1, { evaluated: evaluations.length, pid: process.pid });
  };
}
