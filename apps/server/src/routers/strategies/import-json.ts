// strategies.importJson: a strategy from graph JSON text (a file exported from here or written by
// hand). Oversized graphs are refused before the graph schema or compiler look at them.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, traderProcedure } from '../../trpc';
import { createStrategyWithVersion } from './create';
import { assertGraphSize, checkGraph } from './graph';
import { strategyName } from './schemas';

// Request bodies are capped by BODY_LIMIT_BYTES already; this keeps the schema honest on its own.
const MAX_JSON_CHARS = 50 * 1024 * 1024;

export const importJsonInput = z.strictObject({
  json: z.string().min(2, 'paste the graph JSON').max(MAX_JSON_CHARS),
  /** Overrides the name inside the file. */
  name: strategyName.optional(),
});

export async function importJson(ctx: ProtectedContext, input: z.infer<typeof importJsonInput>) {
  let raw: unknown;
  try {
    raw = JSON.parse(input.json);
  } catch (error) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `The file is not valid JSON (${error instanceof Error ? error.message : 'unreadable'}); export the strategy again or fix the file.`,
      { issues: [{ path: 'json', code: 'invalid_json', message: 'not valid JSON' }] },
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ApiError(
      'VALIDATION_FAILED',
      'The file must hold one graph object ({ "schemaVersion": 1, ... }).',
      {
        issues: [{ path: 'json', code: 'invalid_type', message: 'expected a JSON object' }],
      },
    );
  }
  assertGraphSize(raw, ctx.env.MAX_GRAPH_NODES);
  const checked = checkGraph(raw, ctx.env.MAX_GRAPH_NODES);
  return createStrategyWithVersion(
    ctx,
    { name: input.name ?? checked.graph.name, description: checked.graph.description ?? '' },
    checked,
    'strategy.import',
  );
}

export const importJsonProcedure = traderProcedure
  .input(importJsonInput)
  .mutation(({ ctx, input }) => importJson(ctx, input));
