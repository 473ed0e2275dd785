// versions.save: compiles a graph and, only when it compiles, stores it as the strategy's next
// immutable version (graph, canonical DSL text, content hash, parameter declarations).
import { z } from 'zod';
import { type ProtectedContext, requireOwned, traderProcedure } from '../../trpc';
import { checkGraph, warningViews } from '../strategies/graph';
import { graphJson, id, versionView } from '../strategies/schemas';
import { insertNextVersion, transactionWithRetry } from './store';

export const saveInput = z.strictObject({ strategyId: id, graph: graphJson });

export async function saveVersion(ctx: ProtectedContext, input: z.infer<typeof saveInput>) {
  const strategy = await requireOwned(ctx, 'strategy', input.strategyId);
  // Compile before touching the database: a graph that fails writes nothing.
  const checked = checkGraph(input.graph, ctx.env.MAX_GRAPH_NODES);
  const version = await transactionWithRetry(ctx, (tx) => insertNextVersion(ctx, tx, strategy.id, checked));
  return { version: versionView(version), warnings: warningViews(checked) };
}

export const save = traderProcedure.input(saveInput).mutation(({ ctx, input }) => saveVersion(ctx, input));
