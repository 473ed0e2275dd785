// Public surface of @candleflow/runner: the job queue, quotas, the backtest processor and runner start-up.
export * from './queue/queue';
export { BullMqQueue, type BullMqQueueOptions } from './queue/bullmq';
export { InProcessQueue } from './queue/in-process';
export * from './quota';
export type { RunResult, RunStatus, RunStore, RunToProcess } from './run-store';
export {
  type BacktestPayload,
  type BacktestProcessorDeps,
  createBacktestProcessor,
} from './processors/backtest';
export {
  backtestCacheKey,
  type CacheKeyParts,
  canonicalJson,
  runCacheKey,
  settingsHash,
  strategyResultHash,
  type TrialKeyParts,
  trialResultKey,
} from './processors/cache-key';
export { type BacktestEngine, inlineEngine, threadEngine } from './processors/engine';
export type { BacktestRunSettings } from './processors/execute';
export type { OptimizePayload } from './optimize/optimize-job';
export type { OptimizationStore, OptimizationToRun } from './optimize/store';
export type { TrialsPayload } from './optimize/trials-job';
export {
  loadDatasetFile,
  type Runner,
  type RunnerOptions,
  startBullMqRunner,
  startInProcessRunner,
} from './main';
export { readRunnerEnv, type RunnerEnv } from './env';
export { optimizationWarmupBars } from './optimize/warmup';
// Test helper (a Redis logical database no one uses); used by tests and benchmarks only.
export { claimEmptyRedisDatabase } from './test-support/redis';
