// strategies.create: a new strategy from a graph or an example template, with its version 1.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { audit, type ProtectedContext, traderProcedure } from '../../trpc';
import { insertNextVersion, transactionWithRetry } from '../versions/store';
import { type CheckedGraph, checkGraph, warningViews } from './graph';
import { graphJson, strategyDescription, strategyName, strategySummary, versionView } from './schemas';
import { loadTemplate, templateName } from './templates';

export const createInput = z
  .strictObject({
    name: strategyName.optional(),
    description: strategyDescription.optional(),
    graph: graphJson.optional(),
    template: z.string().regex(templateName, 'must be a template name such as "ema-cross"').optional(),
  })
  .refine((v) => (v.graph === undefined) !== (v.template === undefined), {
    message: 'give either a graph or a template name, not both and not neither',
    path: ['graph'],
  });

/** Creates the strategy row and version 1 in one transaction; shared with import, duplicate and the seed. */
export async function createStrategyWithVersion(
  ctx: ProtectedContext,
  fields: { name: string; description: string; forkedFromVersionId?: string },
  checked: CheckedGraph,
  action = 'strategy.create',
) {
  const { strategy, version } = await transactionWithRetry(ctx, async (tx) => {
    const strategy = await tx.strategy.create({
      data: {
        ownerId: ctx.user.id,
        name: fields.name,
        description: fields.description,
        forkedFromVersionId: fields.forkedFromVersionId ?? null,
      },
    });
    await audit(ctx, action, { type: 'strategy', id: strategy.id }, { name: strategy.name }, { client: tx });
    const version = await insertNextVersion(ctx, tx, strategy.id, checked);
    return { strategy, version };
  });
  return {
    strategy: strategySummary(strategy, ctx.user.id, version.number),
    version: versionView(version),
    warnings: warningViews(checked),
  };
}

export async function createStrategy(ctx: ProtectedContext, input: z.infer<typeof createInput>) {
  const raw = input.template !== undefined ? loadTemplate(input.template) : input.graph;
  const checked = checkGraph(raw, ctx.env.MAX_GRAPH_NODES);
  const name = input.name ?? checked.graph.name;
  if (!name.trim()) throw new ApiError('VALIDATION_FAILED', 'Name the strategy.');
  return createStrategyWithVersion(
    ctx,
    { name, description: input.description ?? checked.graph.description ?? '' },
    checked,
  );
}

export const create = traderProcedure
  .input(createInput)
  .mutation(({ ctx, input }) => createStrategy(ctx, input));
