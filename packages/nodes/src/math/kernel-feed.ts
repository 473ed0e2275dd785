// Test helper: runs a node the way the kernel does, null rule included (update only when every required
// input is non-null; otherwise every output is null and the state is left alone). The shared
// test-support `feedLikeKernel` calls update on every row, which suits indicators but not nodes fed gaps or nulls.
import type { AnyNodeDefinition, CreateContext, Evaluator, Value } from '@candleflow/strategy-dsl';
import { createEvaluator, DEFAULT_CONTEXT } from '../test-support/run-node';

/** Builds an evaluator from parameters given as a user would; `context` overrides parts of the default. */
export function createNode(
  definition: AnyNodeDefinition,
  params: Record<string, unknown> = {},
  context: Partial<CreateContext> = {},
): Evaluator {
  return createEvaluator(definition, params, { ...DEFAULT_CONTEXT, ...context });
}

/** Feeds `rows` (one array of input values per bar, in port order) and returns each bar's outputs. */
export function feedLikeKernel(
  definition: AnyNodeDefinition,
  evaluator: Evaluator,
  rows: readonly (readonly Value[])[],
  firstBarIndex = 0,
): Value[][] {
  return rows.map((inputs, offset) => {
    const out: Value[] = definition.outputs.map(() => null);
    const missingRequired = definition.inputs.some(
      (port, index) => !port.optional && (inputs[index] === null || inputs[index] === undefined),
    );
    if (!missingRequired) {
      const barIndex = firstBarIndex + offset;
      evaluator.update(inputs, out, { barIndex, time: barIndex * DEFAULT_CONTEXT.baseTimeframeMs });
    }
    return out;
  });
}

/** Creates the node with `params` and returns the first output of each bar. */
export function firstOutputs(
  definition: AnyNodeDefinition,
  params: Record<string, unknown>,
  rows: readonly (readonly Value[])[],
): Value[] {
  return feedLikeKernel(definition, createNode(definition, params), rows).map((out) => out[0] ?? null);
}

/**
 * Runs `rows` twice: straight through, and with a restart after `splitAt` bars where the state
 * travels as JSON into a fresh evaluator. A live restart must not change any output.
 */
export function runWithRestart(
  definition: AnyNodeDefinition,
  params: Record<string, unknown>,
  rows: readonly (readonly Value[])[],
  splitAt: number,
): { straight: Value[][]; restarted: Value[][] } {
  const straight = feedLikeKernel(definition, createNode(definition, params), rows);
  const before = createNode(definition, params);
  const head = feedLikeKernel(definition, before, rows.slice(0, splitAt));
  const after = createNode(definition, params);
  after.restore(JSON.parse(JSON.stringify(before.snapshot())));
  const tail = feedLikeKernel(definition, after, rows.slice(splitAt), splitAt);
  return { straight, restarted: [...head, ...tail] };
}
