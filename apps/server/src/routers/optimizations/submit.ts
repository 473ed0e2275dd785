// optimizations.submit: checks the request (see request.ts), records a QUEUED optimization (and
// job.submit) in one transaction and queues its `optimize` job under the optimization's id.
import { ENGINE_VERSION } from '@candleflow/engine';
import { settingsHash } from '@candleflow/runner';
import type { Prisma } from '../../db';
import { ApiError } from '../../errors';
import { audit, type ProtectedContext, traderProcedure } from '../../trpc';
import { requireQueue } from '../backtests/views';
import { checkRequest, type OptimizationRequest, optimizationRequestInput } from './request';

export async function submitOptimization(ctx: ProtectedContext, input: OptimizationRequest) {
  const request = await checkRequest(ctx, input);
  const queue = requireQueue(ctx);
  const optimization = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.optimization.create({
      data: {
        ownerId: ctx.user.id,
        strategyVersionId: request.version.id,
        datasetId: request.dataset.id,
        spec: request.spec as Prisma.InputJsonValue,
        settings: request.settings as Prisma.InputJsonValue,
        settingsHash: settingsHash(request.settings),
        engineVersion: ENGINE_VERSION,
        queuedAt: ctx.clock(),
      },
    });
    await audit(
      ctx,
      'job.submit',
      { type: 'optimization', id: created.id },
      { method: request.spec.method, trials: request.totalTrials, folds: request.folds },
      { client: tx },
    );
    return created;
  });
  try {
    await queue.add({
      id: optimization.id,
      userId: ctx.user.id,
      kind: 'optimize',
      payload: { optimizationId: optimization.id },
    });
  } catch (error) {
    ctx.log.error({ err: error, optimizationId: optimization.id }, 'could not queue an optimization');
    await ctx.prisma.optimization.update({
      where: { id: optimization.id },
      data: {
        status: 'FAILED',
        error: 'the job queue did not accept the optimization',
        finishedAt: ctx.clock(),
      },
    });
    throw new ApiError(
      'UNAVAILABLE',
      'The job queue is not reachable; the optimization was not started. Try again shortly.',
    );
  }
  return { id: optimization.id };
}

export const submit = traderProcedure
  .input(optimizationRequestInput)
  .mutation(({ ctx, input }) => submitOptimization(ctx, input));
