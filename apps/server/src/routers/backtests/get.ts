// backtests.get: a run's status and progress (what a script polls).
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { runId, runStatusView } from './views';

export const getInput = z.strictObject({ id: runId });

export async function getRun(ctx: ProtectedContext, input: z.infer<typeof getInput>) {
  return runStatusView(await requireOwned(ctx, 'backtestRun', input.id));
}

export const get = protectedProcedure.input(getInput).query(({ ctx, input }) => getRun(ctx, input));
