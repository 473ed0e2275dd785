// Optimization state on Optimization, OptimizationTrial and TrialResult rows, shaped to the runner's
// OptimizationStore interface (apps/runner/src/optimize/store.ts). Trials are written in batches (one
// INSERT or one UPDATE … FROM per few thousand rows); state changes are fenced by status and attempt.
import { Prisma, type PrismaClient } from './generated/client';

type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
type Phase = 'SEARCH' | 'IN_SAMPLE' | 'OUT_OF_SAMPLE';
type Params = Readonly<Record<string, number | string | boolean>>;

/** Rows per statement: well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 2_000;

export interface StoredOptimization {
  id: string;
  ownerId: string;
  status: RunStatus;
  attempts: number;
  spec: unknown;
  settings: unknown;
  settingsHash: string;
  strategyVersion: { id: string; graph: unknown };
  dataset: {
    id: string;
    dataHash: string;
    symbol: string;
    timeframe: string;
    bars: number;
    storagePath: string;
  };
}

export interface PlannedTrialRow {
  readonly index: number;
  readonly phase: Phase;
  readonly fold: number | null;
  readonly params: Params;
  readonly resultKey: string;
}

/** `M` is the metrics shape the runner writes (TrialMetrics); the JSON columns hold what it wrote. */
export interface TrialOutcomeRow<M> {
  readonly index: number;
  readonly objective: number | null;
  readonly feasible: boolean;
  readonly note: string | null;
  readonly metrics: M | null;
  readonly cached: boolean;
}

export interface StoredTrialRow<M> extends PlannedTrialRow, TrialOutcomeRow<M> {
  readonly evaluated: boolean;
}

export interface TrialResultRow<M> {
  readonly key: string;
  readonly metrics: M;
  readonly returns: Uint8Array;
  readonly engineVersion: string;
  readonly cpuMs: number;
}

export interface OptimizationProgressFields {
  readonly progress: number;
  readonly totalTrials: number;
  readonly doneTrials: number;
  readonly cachedTrials: number;
  readonly stage: string;
  readonly best: unknown;
}

export interface FinalRunRow {
  readonly settings: unknown;
  readonly settingsHash: string;
  readonly cacheKey: string;
  readonly engineVersion: string;
  readonly result: {
    readonly metrics: unknown;
    readonly equity: unknown;
    readonly trades: unknown;
    readonly warnings: readonly string[];
    readonly provenance: unknown;
    readonly bars: number;
    readonly cpuMs: number;
  };
}

export interface PrismaOptimizationStore<M> {
  loadOptimization(id: string): Promise<StoredOptimization | null>;
  status(id: string): Promise<RunStatus | null>;
  markRunning(id: string, attempt: number): Promise<boolean>;
  loadTrials(
    id: string,
    range?: { readonly from: number; readonly to: number },
  ): Promise<StoredTrialRow<M>[]>;
  evaluatedIndices(id: string, indices: readonly number[]): Promise<Set<number>>;
  planTrials(id: string, trials: readonly PlannedTrialRow[]): Promise<void>;
  findResults(keys: readonly string[]): Promise<Map<string, TrialResultRow<M>>>;
  saveResults(results: readonly TrialResultRow<M>[]): Promise<void>;
  saveOutcomes(id: string, outcomes: readonly TrialOutcomeRow<M>[]): Promise<void>;
  saveProgress(id: string, attempt: number, progress: OptimizationProgressFields): Promise<void>;
  saveFinalRun(id: string, run: FinalRunRow): Promise<string>;
  saveReport(
    id: string,
    attempt: number,
    report: unknown,
    progress: OptimizationProgressFields,
    finalRunId: string | null,
  ): Promise<boolean>;
  saveFailure(id: string, attempt: number, error: string): Promise<boolean>;
  markCanceled(id: string): Promise<void>;
}

/** JSON columns cannot hold Infinity, NaN or undefined: stored as JSON.stringify writes them. */
function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const ACTIVE: RunStatus[] = ['QUEUED', 'RUNNING'];

export function createOptimizationStore<M = unknown>(prisma: PrismaClient): PrismaOptimizationStore<M> {
  const owned = (id: string, attempt: number) => ({ id, status: 'RUNNING' as const, attempts: attempt });
  const progressData = (p: OptimizationProgressFields) => ({
    progress: Math.min(1, Math.max(0, Number.isFinite(p.progress) ? p.progress : 0)),
    totalTrials: p.totalTrials,
    doneTrials: p.doneTrials,
    cachedTrials: p.cachedTrials,
    stage: p.stage,
    best: p.best === null ? Prisma.DbNull : toJson(p.best),
  });

  return {
    async loadOptimization(id) {
      return prisma.optimization.findUnique({
        where: { id },
        select: {
          id: true,
          ownerId: true,
          status: true,
          attempts: true,
          spec: true,
          settings: true,
          settingsHash: true,
          strategyVersion: { select: { id: true, graph: true } },
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
    },

    async status(id) {
      const row = await prisma.optimization.findUnique({ where: { id }, select: { status: true } });
      return row?.status ?? null;
    },

    async markRunning(id, attempt) {
      const { count } = await prisma.optimization.updateMany({
        where: { id, status: { in: ACTIVE }, attempts: { lte: attempt } },
        data: { status: 'RUNNING', attempts: attempt, startedAt: new Date() },
      });
      return count === 1;
    },

    async loadTrials(id, range) {
      const rows = await prisma.optimizationTrial.findMany({
        where: { optimizationId: id, ...(range ? { index: { gte: range.from, lt: range.to } } : {}) },
        orderBy: { index: 'asc' },
      });
      return rows.map((row) => ({
        index: row.index,
        phase: row.phase,
        fold: row.fold,
        params: row.params as Params,
        resultKey: row.resultKey,
        objective: row.objective,
        feasible: row.feasible,
        note: row.note,
        metrics: row.metrics as M | null,
        cached: row.cached,
        evaluated: row.evaluatedAt !== null,
      }));
    },

    async evaluatedIndices(id, indices) {
      const evaluated = new Set<number>();
      for (const chunk of chunks(indices)) {
        const rows = await prisma.optimizationTrial.findMany({
          where: { optimizationId: id, index: { in: chunk }, evaluatedAt: { not: null } },
          select: { index: true },
        });
        for (const row of rows) evaluated.add(row.index);
      }
      return evaluated;
    },

    async planTrials(id, trials) {
      for (const chunk of chunks(trials)) {
        await prisma.optimizationTrial.createMany({
          data: chunk.map((t) => ({
            optimizationId: id,
            index: t.index,
            phase: t.phase,
            fold: t.fold,
            params: toJson(t.params),
            resultKey: t.resultKey,
          })),
          skipDuplicates: true,
        });
      }
    },

    async findResults(keys) {
      const found = new Map<string, TrialResultRow<M>>();
      for (const chunk of chunks([...new Set(keys)])) {
        const rows = await prisma.trialResult.findMany({ where: { key: { in: chunk } } });
        for (const row of rows) {
          found.set(row.key, {
            key: row.key,
            metrics: row.metrics as M,
            returns: row.returns,
            engineVersion: row.engineVersion,
            cpuMs: row.cpuMs,
          });
        }
      }
      return found;
    },

    async saveResults(results) {
      for (const chunk of chunks(results)) {
        await prisma.trialResult.createMany({
          data: chunk.map((r) => ({
            key: r.key,
            metrics: toJson(r.metrics),
            returns: new Uint8Array(r.returns),
            engineVersion: r.engineVersion,
            cpuMs: Math.round(r.cpuMs),
          })),
          skipDuplicates: true,
        });
      }
    },

    async saveOutcomes(id, outcomes) {
      // One UPDATE per chunk: the outcomes travel as one JSON parameter, unpacked into rows.
      for (const chunk of chunks(outcomes)) {
        const rows = chunk.map((o) => ({
          index: o.index,
          objective: o.objective !== null && Number.isFinite(o.objective) ? o.objective : null,
          feasible: o.feasible,
          note: o.note,
          metrics: o.metrics === null ? null : toJson(o.metrics),
          cached: o.cached,
        }));
        await prisma.$executeRawUnsafe(
          `UPDATE "OptimizationTrial" AS t
              SET "objective" = v."objective", "feasible" = v."feasible", "note" = v."note",
                  "metrics" = v."metrics", "cached" = v."cached", "evaluatedAt" = now()
             FROM jsonb_to_recordset($2::jsonb)
                  AS v("index" integer, "objective" double precision, "feasible" boolean,
                       "note" text, "metrics" jsonb, "cached" boolean)
            WHERE t."optimizationId" = $1 AND t."index" = v."index"`,
          id,
          JSON.stringify(rows),
        );
      }
    },

    async saveProgress(id, attempt, progress) {
      await prisma.optimization.updateMany({ where: owned(id, attempt), data: progressData(progress) });
    },

    async saveFinalRun(id, run) {
      const optimization = await prisma.optimization.findUniqueOrThrow({
        where: { id },
        select: { ownerId: true, strategyVersionId: true, datasetId: true },
      });
      const now = new Date();
      const created = await prisma.backtestRun.create({
        data: {
          ownerId: optimization.ownerId,
          strategyVersionId: optimization.strategyVersionId,
          datasetId: optimization.datasetId,
          settings: toJson(run.settings),
          settingsHash: run.settingsHash,
          engineVersion: run.engineVersion,
          cacheKey: run.cacheKey,
          status: 'SUCCEEDED',
          progress: 1,
          metrics: toJson(run.result.metrics),
          equity: toJson(run.result.equity),
          trades: toJson(run.result.trades),
          warnings: toJson(run.result.warnings),
          provenance: toJson(run.result.provenance),
          bars: run.result.bars,
          cpuMs: Math.round(run.result.cpuMs),
          attempts: 1,
          startedAt: now,
          finishedAt: now,
        },
        select: { id: true },
      });
      return created.id;
    },

    async saveReport(id, attempt, report, progress, finalRunId) {
      const { count } = await prisma.optimization.updateMany({
        where: owned(id, attempt),
        data: {
          ...progressData(progress),
          status: 'SUCCEEDED',
          report: toJson(report),
          finalRunId,
          error: null,
          finishedAt: new Date(),
        },
      });
      return count === 1;
    },

    async saveFailure(id, attempt, error) {
      const { count } = await prisma.optimization.updateMany({
        where: owned(id, attempt),
        data: { status: 'FAILED', error, finishedAt: new Date() },
      });
      return count === 1;
    },

    async markCanceled(id) {
      await prisma.optimization.updateMany({
        where: { id, status: { in: ACTIVE } },
        data: { status: 'CANCELED', finishedAt: new Date() },
      });
    },
  };
}
