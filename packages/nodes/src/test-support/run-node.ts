// Drives a node definition over a series the way the kernel does: one update per step, a fresh `out` row.
import type { AnyNodeDefinition, CreateContext, Evaluator, Value } from '@candleflow/strategy-dsl';

export const DEFAULT_CONTEXT: CreateContext = { nodeId: 'n1', baseTimeframeMs: 3_600_000 };

/** Marks slots the evaluator did not write; the contract test fails on any left over. */
export const UNWRITTEN = Symbol('unwritten');

export function createEvaluator(
  definition: AnyNodeDefinition,
  params: Record<string, unknown> = {},
  ctx: CreateContext = DEFAULT_CONTEXT,
): Evaluator {
  return definition.create(definition.params.parse(params), ctx);
}

/** Feeds `rows` (one input list per step) to `evaluator`; returns one output row per step. */
export function feed(
  definition: AnyNodeDefinition,
  evaluator: Evaluator,
  rows: readonly (readonly Value[])[],
  firstIndex = 0,
): Value[][] {
  const outputs: Value[][] = [];
  rows.forEach((inputs, i) => {
    const out = new Array(definition.outputs.length).fill(UNWRITTEN) as Value[];
    const bar = inputs[0];
    const time = typeof bar === 'object' && bar !== null && 'time' in bar ? bar.time : i;
    evaluator.update(inputs, out, { barIndex: firstIndex + i, time });
    outputs.push(out);
  });
  return outputs;
}

/** Creates a fresh evaluator and runs it over `rows`. */
export function runNode(
  definition: AnyNodeDefinition,
  params: Record<string, unknown>,
  rows: readonly (readonly Value[])[],
  ctx: CreateContext = DEFAULT_CONTEXT,
): Value[][] {
  return feed(definition, createEvaluator(definition, params, ctx), rows);
}

/** One output column as numbers or nulls. */
export function column(rows: readonly Value[][], index: number): (number | null)[] {
  return rows.map((row) => {
    const v = row[index];
    if (v === null || typeof v === 'number') return v ?? null;
    throw new Error(`output ${index} is not a number series: ${JSON.stringify(v)}`);
  });
}
