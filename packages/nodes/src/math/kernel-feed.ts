// Test helper: runs one node definition over rows of inputs the way the kernel does, so node tests
// exercise the kernel's null rule (update only when every required input is non-null) and snapshots.
import type { AnyNodeDefinition, CreateContext, Evaluator, Value } from '@candleflow/strategy-dsl';

const CREATE_CONTEXT: CreateContext = { nodeId: 'node_under_test', baseTimeframeMs: 60_000 };

/** Builds an evaluator from parameters given as a user would (missing ones take their defaults). */
export function createNode(
  definition: AnyNodeDefinition,
  params: Record<string, unknown> = {},
  context: Partial<CreateContext> = {},
): Evaluator {
  return definition.create(definition.params.parse(params), { ...CREATE_CONTEXT, ...context });
}

/** Feeds `rows` (one array of input values per bar, in port order) and returns each bar's outputs. */
export function feed(
  definition: AnyNodeDefinition,
  evaluator: Evaluator,
  rows: readonly (readonly Value[])[],
  firstBarIndex = 0,
): Value[][] {
  const results: Value[][] = [];
  rows.forEach((inputs, offset) => {
    const out: Value[] = definition.outputs.map(() => null);
    const missingRequired = definition.inputs.some(
      (port, index) => !port.optional && (inputs[index] === null || inputs[index] === undefined),
    );
    if (!missingRequired) {
      const barIndex = firstBarIndex + offset;
      evaluator.update(inputs, out, { barIndex, time: barIndex * CREATE_CONTEXT.baseTimeframeMs });
    }
    results.push(out);
  });
  return results;
}

/** Creates the node with `params` and returns the first output of each bar. */
export function runNode(
  definition: AnyNodeDefinition,
  params: Record<string, unknown>,
  rows: readonly (readonly Value[])[],
): Value[] {
  return feed(definition, createNode(definition, params), rows).map((out) => out[0] ?? null);
}

/** A snapshot as it comes back from storage: written as JSON text and read again. */
export function throughJson(state: unknown): unknown {
  return JSON.parse(JSON.stringify(state));
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
  const straight = feed(definition, createNode(definition, params), rows);
  const before = createNode(definition, params);
  const head = feed(definition, before, rows.slice(0, splitAt));
  const after = createNode(definition, params);
  after.restore(throughJson(before.snapshot()));
  const tail = feed(definition, after, rows.slice(splitAt), splitAt);
  return { straight, restarted: [...head, ...tail] };
}
