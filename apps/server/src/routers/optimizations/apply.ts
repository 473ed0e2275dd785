// optimizations.applyTrial (`apply` is a name tRPC reserves): saves a trial's parameter values (the best trial's by default) as the defaults of
// a new version of the optimized strategy, through the same compile check and version store as any
// save. Nothing is recomputed: a backtest of the new version is answered from the stored trial results.
import type { BestTrial, ParamSet } from '@candleflow/optimize';
import type { Graph } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import type { Prisma } from '../../db';
import { ApiError } from '../../errors';
import { audit, type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { checkGraph } from '../strategies/graph';
import { insertNextVersion, transactionWithRetry } from '../versions/store';
import { API_PHASE, optimizationId } from './views';

export const applyInput = z.strictObject({
  id: optimizationId,
  /** The trial whose values to apply; the best trial when left out. */
  trialIndex: z.number().int().min(0).optional(),
});

/** The graph with each strategy parameter's default replaced by the trial's value for it. */
export function withDefaults(graph: Graph, values: ParamSet): Graph {
  return {
    ...graph,
    params: graph.params.map((param) =>
      Object.hasOwn(values, param.name) ? { ...param, default: values[param.name]! } : param,
    ),
  };
}

async function chosenTrial(
  ctx: ProtectedContext,
  optimization: { id: string; best: unknown },
  trialIndex: number | undefined,
): Promise<{ index: number; phase: string; params: ParamSet }> {
  if (trialIndex === undefined) {
    const best = optimization.best as BestTrial | null;
    if (!best) {
      throw new ApiError(
        'BAD_REQUEST',
        'This optimization has no best trial yet (no feasible trial so far); pick a trial by its index or wait for a feasible one.',
      );
    }
    return { index: best.index, phase: 'search', params: best.params };
  }
  const trial = await ctx.prisma.optimizationTrial.findUnique({
    where: { optimizationId_index: { optimizationId: optimization.id, index: trialIndex } },
    select: { index: true, phase: true, params: true },
  });
  if (!trial) {
    throw new ApiError(
      'NOT_FOUND',
      `Trial ${trialIndex} does not exist in optimization ${optimization.id}.`,
      {
        issues: [{ path: 'trialIndex', message: 'no trial with this index' }],
      },
    );
  }
  return { index: trial.index, phase: API_PHASE[trial.phase], params: trial.params as ParamSet };
}

export async function saveTrialAsVersion(ctx: ProtectedContext, input: z.infer<typeof applyInput>) {
  const optimization = await requireOwned(ctx, 'optimizationSummary', input.id);
  const optimized = await ctx.prisma.strategyVersion.findUniqueOrThrow({
    where: { id: optimization.strategyVersionId },
    select: { id: true, number: true, strategyId: true, graph: true },
  });
  // Only the strategy's owner saves versions of it: an optimization of someone's public strategy cannot.
  const strategy = await requireOwned(ctx, 'strategy', optimized.strategyId);
  const trial = await chosenTrial(ctx, optimization, input.trialIndex);
  const checked = checkGraph(withDefaults(optimized.graph as Graph, trial.params), ctx.env.MAX_GRAPH_NODES);
  const version = await transactionWithRetry(ctx, async (tx) => {
    const created = await insertNextVersion(ctx, tx, strategy.id, checked);
    await audit(
      ctx,
      'optimization.apply',
      { type: 'optimization', id: optimization.id },
      {
        trialIndex: trial.index,
        phase: trial.phase,
        params: trial.params as Prisma.InputJsonValue,
        fromVersionId: optimized.id,
        versionId: created.id,
        number: created.number,
      },
      { client: tx },
    );
    return created;
  });
  return {
    strategyId: strategy.id,
    versionId: version.id,
    number: version.number,
    params: trial.params,
    trialIndex: trial.index,
  };
}

export const applyTrial = traderProcedure
  .input(applyInput)
  .mutation(({ ctx, input }) => saveTrialAsVersion(ctx, input));
