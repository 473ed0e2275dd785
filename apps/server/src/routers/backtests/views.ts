// The shapes backtest procedures return, and the queue the server was given (or a clear error).
import type { JobQueue } from '@candleflow/runner';
import { z } from 'zod';
import { ApiError } from '../../errors';
import type { Context } from '../../trpc';

export const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

export const runId = z.string().trim().min(1).max(64);

type RunRow = {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  progress: number;
  error: string | null;
  strategyVersionId: string;
  datasetId: string;
  engineVersion: string;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  resultOfRunId: string | null;
};

export function runStatusView(run: RunRow) {
  return {
    id: run.id,
    status: run.status,
    progress: run.progress,
    error: run.error,
    strategyVersionId: run.strategyVersionId,
    datasetId: run.datasetId,
    engineVersion: run.engineVersion,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    servedFromCache: run.resultOfRunId !== null,
  };
}
export type RunStatusView = ReturnType<typeof runStatusView>;

export function requireQueue(ctx: Pick<Context, 'queue'>): JobQueue {
  const queue = ctx.queue as JobQueue | undefined;
  if (!queue) {
    throw new ApiError('UNAVAILABLE', 'No backtest runner is connected to this server; try again later.');
  }
  return queue;
}
