// Backtest-run state changes on BacktestRun rows, shaped to the runner's RunStore interface
// (apps/runner/src/run-store.ts). Writes are fenced by status and attempt number, so a run ends
// exactly once even when a runner presumed dead wakes up late.
import type { Prisma, PrismaClient } from './generated/client';

type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export interface StoredRun {
  id: string;
  ownerId: string;
  status: RunStatus;
  attempts: number;
  settings: unknown;
  cacheKey: string;
  strategyVersion: { id: string; contentHash: string; graph: unknown };
  dataset: {
    id: string;
    dataHash: string;
    symbol: string;
    timeframe: string;
    bars: number;
    storagePath: string;
  };
}

/** What a finished backtest stores; metrics, equity, trades and provenance are stored as JSON. */
export interface StoredRunResult {
  readonly metrics: unknown;
  readonly equity: unknown;
  readonly trades: unknown;
  readonly warnings: readonly string[];
  readonly provenance: unknown;
  readonly bars: number;
  readonly cpuMs: number;
}

export interface PrismaRunStore {
  loadRun(runId: string): Promise<StoredRun | null>;
  markRunning(runId: string, attempt: number): Promise<boolean>;
  saveProgress(runId: string, attempt: number, fraction: number): Promise<void>;
  saveResult(runId: string, attempt: number, result: StoredRunResult): Promise<boolean>;
  saveFailure(runId: string, attempt: number, error: string): Promise<boolean>;
  markCanceled(runId: string): Promise<void>;
  findCached(cacheKey: string, runId: string): Promise<{ runId: string } | null>;
  saveCachedResult(runId: string, attempt: number, cachedRunId: string): Promise<boolean>;
}

/**
 * Engine output may hold Infinity (a profit factor without losses) or undefined fields, which
 * JSON columns cannot: they are stored as JSON.stringify would write them (null / omitted).
 */
function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;
}

const ACTIVE: RunStatus[] = ['QUEUED', 'RUNNING'];

export function createRunStore(prisma: PrismaClient): PrismaRunStore {
  // The only rows a given attempt may write: still running, and still owned by that attempt.
  const owned = (runId: string, attempt: number) => ({
    id: runId,
    status: 'RUNNING' as const,
    attempts: attempt,
  });

  return {
    async loadRun(runId) {
      const run = await prisma.backtestRun.findUnique({
        where: { id: runId },
        select: {
          id: true,
          ownerId: true,
          status: true,
          attempts: true,
          settings: true,
          cacheKey: true,
          strategyVersion: { select: { id: true, contentHash: true, graph: true } },
          dataset: {
            select: {
              id: true,
              dataHash: true,
              symbol: true,
              timeframe: true,
              bars: true,
              storagePath: true,
            },
          },
        },
      });
      return run;
    },

    async markRunning(runId, attempt) {
      const { count } = await prisma.backtestRun.updateMany({
        where: { id: runId, status: { in: ACTIVE }, attempts: { lte: attempt } },
        data: { status: 'RUNNING', attempts: attempt, startedAt: new Date(), progress: 0 },
      });
      return count === 1;
    },

    async saveProgress(runId, attempt, fraction) {
      const progress = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      await prisma.backtestRun.updateMany({ where: owned(runId, attempt), data: { progress } });
    },

    async saveResult(runId, attempt, result) {
      const { count } = await prisma.backtestRun.updateMany({
        where: owned(runId, attempt),
        data: {
          status: 'SUCCEEDED',
          progress: 1,
          metrics: toJson(result.metrics),
          equity: toJson(result.equity),
          trades: toJson(result.trades),
          warnings: toJson(result.warnings),
          provenance: toJson(result.provenance),
          bars: result.bars,
          cpuMs: Math.round(result.cpuMs),
          error: null,
          finishedAt: new Date(),
        },
      });
      return count === 1;
    },

    async saveFailure(runId, attempt, error) {
      const { count } = await prisma.backtestRun.updateMany({
        where: owned(runId, attempt),
        data: { status: 'FAILED', error, finishedAt: new Date() },
      });
      return count === 1;
    },

    async markCanceled(runId) {
      await prisma.backtestRun.updateMany({
        where: { id: runId, status: { in: ACTIVE } },
        data: { status: 'CANCELED', finishedAt: new Date() },
      });
    },

    async findCached(cacheKey, runId) {
      const run = await prisma.backtestRun.findFirst({
        where: { cacheKey, status: 'SUCCEEDED', resultOfRunId: null, id: { not: runId } },
        orderBy: { finishedAt: 'asc' },
        select: { id: true },
      });
      return run ? { runId: run.id } : null;
    },

    async saveCachedResult(runId, attempt, cachedRunId) {
      return prisma.$transaction(async (tx) => {
        const source = await tx.backtestRun.findFirst({
          where: { id: cachedRunId, status: 'SUCCEEDED' },
          select: {
            metrics: true,
            equity: true,
            trades: true,
            warnings: true,
            provenance: true,
            bars: true,
          },
        });
        if (!source) {
          throw new Error(
            `Cached run ${cachedRunId} has no stored result (it is not SUCCEEDED); compute run ${runId} instead.`,
          );
        }
        const { count } = await tx.backtestRun.updateMany({
          where: owned(runId, attempt),
          data: {
            status: 'SUCCEEDED',
            progress: 1,
            metrics: toJson(source.metrics),
            equity: toJson(source.equity),
            trades: toJson(source.trades),
            warnings: toJson(source.warnings),
            provenance: toJson(source.provenance),
            bars: source.bars,
            cpuMs: 0,
            resultOfRunId: cachedRunId,
            finishedAt: new Date(),
          },
        });
        return count === 1;
      });
    },
  };
}
