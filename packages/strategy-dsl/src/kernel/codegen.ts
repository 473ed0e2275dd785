// Fast mode: one specialised step function for a whole plan, generated as JavaScript source. Each node's
// code is unrolled with its slot indices written as number literals, so a step has no loops over ports
// and each evaluator call site sees one evaluator. The source holds only numbers this module writes:
// evaluators, arrays and symbols are passed in by reference, never spelled into the code.
import type { Bar } from '../contract';
import type { Plan } from '../plan';
import type { Runtime } from './runtime';

/** Nodes per inner function: small enough for the optimising compiler to take each one on. */
const NODES_PER_CHUNK = 40;

function int(value: number): string {
  // A guard, not a formality: nothing but plain integers may reach the generated source.
  if (!Number.isSafeInteger(value))
    throw new Error(`code generation: expected an integer, got ${String(value)}`);
  return String(value);
}

function nodeSource(plan: Plan, n: number, ticks: number, isFeed: boolean): string {
  const node = plan.nodes[n]!;
  const id = int(n);
  const lines: string[] = [];
  const nullOutputs = node.outputSlots.map((slot) => `S[${int(slot)}] = null;`).join(' ');
  const copyOutputs = node.outputSlots.map((slot, o) => `S[${int(slot)}] = o${id}[${int(o)}];`).join(' ');
  const tick =
    ticks >= 0 ? ` T[${int(ticks)}] = o${id}[${int(node.outputSlots.length - 1)}] === true ? 1 : 0;` : '';
  const run = `e${id}.update(i${id}, o${id}, ctx); ${copyOutputs}${tick}`;
  if (isFeed) {
    lines.push(`const b = bars.get(y${id});`);
    lines.push(`if (b === undefined) { ${nullOutputs} } else { i${id}[0] = b; ${run} }`);
  } else {
    const reads: string[] = [];
    const writes: string[] = [];
    const nullChecks: string[] = [];
    node.definition.inputs.forEach((port, p) => {
      const source = node.inputSlots[p] ?? null;
      const slots = source === null ? [] : typeof source === 'number' ? [source] : source;
      slots.forEach((slot, k) => {
        const local = `a${int(p)}_${int(k)}`;
        reads.push(`${local} = S[${int(slot)}]`);
        writes.push(
          typeof source === 'number'
            ? `i${id}[${int(p)}] = ${local};`
            : `m${id}_${int(p)}[${int(k)}] = ${local};`,
        );
        if (!port.optional) nullChecks.push(`${local} === null`);
      });
    });
    if (reads.length > 0) lines.push(`const ${reads.join(', ')};`);
    if (nullChecks.length > 0) {
      lines.push(`if (${nullChecks.join(' || ')}) { ${nullOutputs} } else { ${writes.join(' ')} ${run} }`);
    } else {
      lines.push(`${writes.join(' ')} ${run}`);
    }
  }
  const body = lines.join('\n    ');
  const guarded =
    node.clock === 0 ? `{\n    ${body}\n  }` : `if (T[${int(node.clock)}] !== 0) {\n    ${body}\n  }`;
  return `${ticks >= 0 ? `T[${int(ticks)}] = 0;\n  ` : ''}${guarded}`;
}

/**
 * The source of a factory `(N, S, T, ctx) => step(bars)`, where N are the runtime nodes, S the slots,
 * T the clock ticks and ctx the evaluation context. Depends only on the plan's structure.
 */
export function generateStepSource(plan: Plan): string {
  const feedNodes = new Set(plan.feeds.map((f) => f.nodeId));
  const ticksOf = new Map<string, number>();
  plan.clocks.forEach((clock, index) => {
    if (clock.tickNodeId !== null) ticksOf.set(clock.tickNodeId, index);
  });
  const chunks: string[] = [];
  for (let start = 0; start < plan.nodes.length; start += NODES_PER_CHUNK) {
    const bindings: string[] = [];
    const bodies: string[] = [];
    const end = Math.min(plan.nodes.length, start + NODES_PER_CHUNK);
    for (let n = start; n < end; n++) {
      const node = plan.nodes[n]!;
      const id = int(n);
      const isFeed = feedNodes.has(node.id);
      bindings.push(`const e${id} = N[${id}].evaluator, i${id} = N[${id}].inputs, o${id} = N[${id}].out;`);
      if (isFeed) bindings.push(`const y${id} = N[${id}].feedSymbol;`);
      node.definition.inputs.forEach((port, p) => {
        if (port.multiple && Array.isArray(node.inputSlots[p])) {
          bindings.push(`const m${id}_${int(p)} = N[${id}].ports[${int(p)}].values;`);
        }
      });
      bodies.push(nodeSource(plan, n, ticksOf.get(node.id) ?? -1, isFeed));
    }
    const chunk = int(chunks.length);
    chunks.push(
      `const c${chunk} = (function () {\n${bindings.join('\n')}\nreturn function (bars) {\n  ${bodies.join('\n  ')}\n};\n})();`,
    );
  }
  const calls = chunks.map((_, c) => `c${int(c)}(bars);`).join(' ');
  return `"use strict";\n${chunks.join('\n')}\nreturn function step(bars) { T[0] = 1; ${calls} };\n`;
}

/** Compiles the plan's step function and binds it to the runtime's evaluators and slots. */
export function createFastStep(runtime: Runtime): (bars: ReadonlyMap<string, Bar>) => void {
  const factory = new Function('N', 'S', 'T', 'ctx', generateStepSource(runtime.plan)) as (
    ...args: unknown[]
  ) => (bars: ReadonlyMap<string, Bar>) => void;
  return factory(runtime.nodes, runtime.slots, runtime.ticked, runtime.ctx);
}
