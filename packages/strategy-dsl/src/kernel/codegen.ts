// Fast mode: one specialised step function for a whole plan, generated as JavaScript source. Values live in
// typed storage (numbers in a Float64Array with NaN for null, booleans in a Uint8Array with 2 for null,
// everything else in an array); nodes with an inline spec become straight-line code on that storage, the
// others keep their evaluator call. The source holds only numbers and identifiers this module hands out:
// evaluators, parameters, arrays and symbols are passed in by reference, never spelled into the code.
import type { InlineCodeContext, InlineSpec, PortKind, Value } from '../contract';
import type { Plan, PlanNode } from '../plan';
import { deferrableNodes, ticksOf } from './runtime';

/** Nodes per inner function: small enough for the optimising compiler to take each one on. */
const NODES_PER_CHUNK = 40;

/** Where a slot's value lives: F numbers (NaN = null), B booleans (0/1, 2 = null), G anything else. */
export type Store = 'F' | 'B' | 'G';

export const BOOLEAN_NULL = 2;

export function storeOf(kind: PortKind): Store {
  if (kind === 'number' || kind === 'scalar') return 'F';
  if (kind === 'boolean') return 'B';
  return 'G';
}

function int(value: number): string {
  // A guard, not a formality: nothing but plain integers may reach the generated source.
  if (!Number.isSafeInteger(value))
    throw new Error(`code generation: expected an integer, got ${String(value)}`);
  return String(value);
}

/** How one plan node runs in fast mode, and where its inline state, constants and objects live. */
export interface FastNode {
  readonly inline: InlineSpec | null;
  /** Index into Feeds.bars for data sources, else -1. */
  readonly feed: number;
  /** The clock this node ticks, or -1. */
  readonly ticks: number;
  /** Runs only when a reader needs it (a pure evaluator node); see isDeferrable. */
  readonly deferred: boolean;
  readonly scalarStart: number;
  readonly scalars: readonly number[];
  readonly arrayStart: number;
  readonly arrays: readonly number[];
  readonly constantStart: number;
  readonly constants: readonly number[];
  readonly objectStart: number;
  readonly objects: readonly Value[];
}

export interface FastLayout {
  /** The store of each slot, from the kind of the output port that writes it. */
  readonly stores: readonly Store[];
  /** The node that writes each slot. */
  readonly owners: readonly number[];
  readonly nodes: readonly FastNode[];
  readonly scalarCount: number;
  readonly arrayCount: number;
  readonly constantCount: number;
  readonly objectCount: number;
  /** Distinct fed symbols (Feeds.symbols). */
  readonly feedCount: number;
}

/** Inline code needs a plain port list: every input single and required-or-connected. */
function inlineSpecOf(node: PlanNode): InlineSpec | null {
  const inline = node.definition.inline;
  if (inline === undefined) return null;
  const plain = node.definition.inputs.every(
    (port, p) => !port.multiple && typeof (node.inputSlots[p] ?? null) === 'number',
  );
  return plain ? (inline as InlineSpec) : null;
}

export function createFastLayout(plan: Plan, feedOf: ReadonlyMap<string, number>): FastLayout {
  const stores: Store[] = new Array<Store>(plan.slotCount).fill('G');
  const slotOwner = new Array<number>(plan.slotCount).fill(-1);
  plan.nodes.forEach((node, n) => {
    node.outputSlots.forEach((slot, o) => {
      stores[slot] = storeOf(node.definition.outputs[o]!.kind);
      slotOwner[slot] = n;
    });
  });
  const deferrable = deferrableNodes(plan);
  const ticks = ticksOf(plan);
  let scalarCount = 0;
  let arrayCount = 0;
  let constantCount = 0;
  let objectCount = 0;
  const nodes = plan.nodes.map((node, n): FastNode => {
    const inline = inlineSpecOf(node);
    const state = inline?.state(node.params) ?? { scalars: [] };
    const layout: FastNode = {
      inline,
      feed: feedOf.get(node.id) ?? -1,
      ticks: ticks.get(node.id) ?? -1,
      deferred: inline === null && deferrable[n]!,
      scalarStart: scalarCount,
      scalars: state.scalars,
      arrayStart: arrayCount,
      arrays: state.arrays ?? [],
      constantStart: constantCount,
      constants: inline?.constants?.(node.params) ?? [],
      objectStart: objectCount,
      objects: inline?.objects?.(node.params) ?? [],
    };
    scalarCount += layout.scalars.length;
    arrayCount += layout.arrays.length;
    constantCount += layout.constants.length;
    objectCount += layout.objects.length;
    return layout;
  });
  return {
    stores,
    owners: slotOwner,
    feedCount: new Set(feedOf.values()).size,
    nodes,
    scalarCount,
    arrayCount,
    constantCount,
    objectCount,
  };
}

/** Words an inline update may use besides the identifiers its context hands out. */
const INLINE_WORDS = new Set([
  'const',
  'let',
  'if',
  'else',
  'for',
  'while',
  'break',
  'true',
  'false',
  'null',
  'NaN',
  'Infinity',
  'Math',
  'abs',
  'max',
  'min',
  'sqrt',
  'floor',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'time',
]);

/** Characters of JavaScript expressions and statements; no quotes, backslashes or template literals. */
const INLINE_CHARS = /^[\w\s.+\-*/%<>=!&|?:;,()[\]{}]*$/;
const TOKEN = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_$][\w$]*|./gs;

/**
 * Refuses inline code that uses anything it was not handed: a string literal or a foreign identifier in
 * generated code is either a catalog bug or user text that got spliced in, and neither may run.
 */
export function checkInlineSource(source: string, handed: ReadonlySet<string>, where: string): void {
  const fail = (what: string) => {
    throw new Error(
      `code generation: the inline code of ${where} ${what}; inline code may use only the identifiers its context hands out`,
    );
  };
  if (!INLINE_CHARS.test(source)) fail('contains characters outside plain expressions (quotes?)');
  for (const token of source.match(TOKEN) ?? []) {
    if (!/^[A-Za-z_$]/.test(token)) continue;
    if (!INLINE_WORDS.has(token) && !handed.has(token)) fail(`uses the identifier ${token}`);
  }
}

/** Expressions of a slot in the typed stores. */
function read(store: Store, slot: number): string {
  return `${store}[${int(slot)}]`;
}

function isNull(store: Store, expression: string): string {
  if (store === 'F') return `${expression} !== ${expression}`;
  if (store === 'B') return `${expression} === ${int(BOOLEAN_NULL)}`;
  return `${expression} === null`;
}

function writeNull(store: Store, slot: number): string {
  return `${read(store, slot)} = ${store === 'F' ? 'NaN' : store === 'B' ? int(BOOLEAN_NULL) : 'null'};`;
}

interface Emitter {
  readonly plan: Plan;
  readonly layout: FastLayout;
}

function nodeWhere(node: PlanNode): string {
  // Only the catalog's type id: never the node id or parameters, which are user text.
  return `node type ${node.definition.type}@${int(node.definition.version)}`;
}

function inlineCode(e: Emitter, n: number, inputs: readonly string[]): string {
  const node = e.plan.nodes[n]!;
  const fast = e.layout.nodes[n]!;
  const spec = fast.inline!;
  const outputs = node.definition.outputs;
  const handed = new Set<string>();
  const cells = new Set<number>();
  const constants = new Set<number>();
  const hand = (name: string, expression: string) => {
    handed.add(name);
    return expression;
  };
  const range = (i: number, length: number, what: string) => {
    if (!Number.isSafeInteger(i) || i < 0 || i >= length) {
      throw new Error(
        `code generation: the inline code of ${nodeWhere(node)} asks for ${what} ${String(i)}, but it declares ${int(length)}`,
      );
    }
    return i;
  };
  const outputStore = (o: number) => {
    range(o, outputs.length, 'output');
    return storeOf(outputs[o]!.kind);
  };
  const context: InlineCodeContext = {
    params: node.params,
    input: (p) => {
      range(p, inputs.length, 'input');
      for (const word of inputs[p]!.match(/[A-Za-z_$][\w$]*/g) ?? []) handed.add(word);
      return inputs[p]!;
    },
    write: (o, expression) => {
      const store = outputStore(o);
      const slot = node.outputSlots[o]!;
      const value = store === 'B' ? `(${expression}) ? 1 : 0` : expression;
      return hand(store, `${read(store, slot)} = ${value};`);
    },
    writeNull: (o) => hand(outputStore(o), writeNull(outputStore(o), node.outputSlots[o]!)),
    // State and constants are loaded into locals once per update: the optimising compiler cannot keep a
    // typed-array cell in a register across stores to other typed arrays, a local it can.
    state: (i) => {
      range(i, fast.scalars.length, 'state cell');
      cells.add(i);
      return hand(`z${int(i)}`, `z${int(i)}`);
    },
    array: (j) => {
      const name = `A${int(fast.arrayStart + range(j, fast.arrays.length, 'state buffer'))}`;
      return hand(name, name);
    },
    constant: (k) => {
      range(k, fast.constants.length, 'constant');
      constants.add(k);
      return hand(`k${int(k)}`, `k${int(k)}`);
    },
    object: (k) => hand('O', `O[${int(fast.objectStart + range(k, fast.objects.length, 'object'))}]`),
    temp: (i) => {
      const name = `t${int(i)}`;
      return hand(name, name);
    },
  };
  const source = spec.update(context);
  checkInlineSource(source, handed, nodeWhere(node));
  const cell = (i: number) => `Z[${int(fast.scalarStart + i)}]`;
  const used = [...cells].sort((a, b) => a - b);
  const load = used.length > 0 ? `let ${used.map((i) => `z${int(i)} = ${cell(i)}`).join(', ')}; ` : '';
  const constantList = [...constants].sort((a, b) => a - b);
  const loadConstants =
    constantList.length > 0
      ? `const ${constantList.map((k) => `k${int(k)} = P[${int(fast.constantStart + k)}]`).join(', ')}; `
      : '';
  const store = used.map((i) => ` ${cell(i)} = z${int(i)};`).join('');
  return `{ ${load}${loadConstants}${source}${store} }`;
}

/** The statements of one node's update once its clock has ticked: null rule, then inline code or a call. */
function nodeBody(e: Emitter, n: number): string {
  const { plan, layout } = e;
  const node = plan.nodes[n]!;
  const fast = layout.nodes[n]!;
  const id = int(n);
  const outputStores = node.outputSlots.map((slot) => layout.stores[slot]!);
  const nullOutputs = node.outputSlots.map((slot, o) => writeNull(outputStores[o]!, slot)).join(' ');
  const tick =
    fast.ticks >= 0
      ? ` T[${int(fast.ticks)}] = ${read(outputStores.at(-1)!, node.outputSlots.at(-1)!)} === 1 ? 1 : 0;`
      : '';

  // An evaluator call: typed values become Values on the way in and back on the way out.
  const copyOutputs = node.outputSlots
    .map((slot, o) => {
      const store = outputStores[o]!;
      const value = `o${id}[${int(o)}]`;
      if (store === 'F') return `v = ${value}; F[${int(slot)}] = v === null ? NaN : v;`;
      if (store === 'B') return `v = ${value}; B[${int(slot)}] = v === true ? 1 : v === false ? 0 : 2;`;
      return `G[${int(slot)}] = ${value};`;
    })
    .join(' ');
  const call = `e${id}.update(i${id}, o${id}, ctx); ${copyOutputs}${tick}`;

  if (fast.feed >= 0) {
    const run = fast.inline !== null ? `${inlineCode(e, n, ['b'])}${tick}` : `i${id}[0] = b; ${call}`;
    return `const b = FB[${int(fast.feed)}];\n    if (b === undefined) { ${nullOutputs} } else { ${run} }`;
  }

  const locals: string[] = [];
  const writes: string[] = [];
  const inlineInputs: string[] = [];
  const nowChecks: string[] = [];
  const laterChecks: string[] = [];
  const ensure = new Set<number>();
  node.definition.inputs.forEach((port, p) => {
    const source = node.inputSlots[p] ?? null;
    const slots = source === null ? [] : typeof source === 'number' ? [source] : source;
    slots.forEach((slot, k) => {
      const store = layout.stores[slot]!;
      const owner = layout.owners[slot]!;
      const deferred = layout.nodes[owner]!.deferred;
      if (deferred) ensure.add(owner);
      if (!port.optional) (deferred ? laterChecks : nowChecks).push(isNull(store, read(store, slot)));
      if (fast.inline !== null) {
        inlineInputs.push(store === 'B' ? `(${read(store, slot)} === 1)` : read(store, slot));
        return;
      }
      const local = `a${int(p)}_${int(k)}`;
      locals.push(`${local} = ${read(store, slot)}`);
      const value =
        store === 'F'
          ? `${local} !== ${local} ? null : ${local}`
          : store === 'B'
            ? `${local} === 2 ? null : ${local} === 1`
            : local;
      writes.push(
        typeof source === 'number'
          ? `i${id}[${int(p)}] = ${value};`
          : `m${id}_${int(p)}[${int(k)}] = ${value};`,
      );
    });
  });
  const run =
    fast.inline !== null
      ? `${inlineCode(e, n, inlineInputs)}${tick}`
      : `${locals.length > 0 ? `const ${locals.join(', ')}; ` : ''}${writes.join(' ')} ${call}`;
  const guarded = (checks: readonly string[], then: string) =>
    checks.length > 0 ? `if (${checks.join(' || ')}) { ${nullOutputs} } else { ${then} }` : then;
  const ensureCalls = [...ensure].map((owner) => `d${int(owner)}(); `).join('');
  return guarded(nowChecks, `${ensureCalls}${guarded(laterChecks, run)}`);
}

/** One node in the step: tick reset, clock guard, body. Deferred nodes are left to their readers. */
function nodeStatement(e: Emitter, n: number): string {
  const node = e.plan.nodes[n]!;
  const fast = e.layout.nodes[n]!;
  if (fast.deferred) return '';
  const body = nodeBody(e, n);
  const guarded =
    node.clock === 0 ? `{\n    ${body}\n  }` : `if (T[${int(node.clock)}] !== 0) {\n    ${body}\n  }`;
  return `${fast.ticks >= 0 ? `T[${int(fast.ticks)}] = 0;\n  ` : ''}${guarded}`;
}

/**
 * The source of a factory `(R) => { step, settle }` over the fast runtime R (see fast.ts): `step(bars, barIndex)`
 * is Kernel.step; `settle()` runs the deferred nodes nobody read this step,
 * so every slot holds its value before it is read from outside or snapshot.
 */
export function generateFastSource(plan: Plan, layout: FastLayout): string {
  const e: Emitter = { plan, layout };
  const bindings = [
    'const F = R.F, B = R.B, G = R.G, Z = R.Z, P = R.P, O = R.O, FB = R.FB, T = R.T, D = R.D, S = R.S, ctx = R.ctx;',
    'const Y = R.Y, REC = R.REC, RES = R.RES, timeOfAnyBar = R.timeOfAnyBar;',
  ];
  for (let j = 0; j < layout.arrayCount; j++) bindings.push(`const A${int(j)} = R.A[${int(j)}];`);
  let v = false;
  const deferred: string[] = [];
  plan.nodes.forEach((node, n) => {
    const fast = layout.nodes[n]!;
    if (fast.inline !== null) return;
    const id = int(n);
    v = true;
    bindings.push(
      `const e${id} = R.N[${id}].evaluator, i${id} = R.N[${id}].inputs, o${id} = R.N[${id}].out;`,
    );
    node.definition.inputs.forEach((port, p) => {
      if (port.multiple && Array.isArray(node.inputSlots[p])) {
        bindings.push(`const m${id}_${int(p)} = R.N[${id}].ports[${int(p)}].values;`);
      }
    });
    if (fast.deferred) {
      deferred.push(
        `function d${id}() {\n  if (D[${id}] === S[0]) return;\n  D[${id}] = S[0];\n  ${nodeBody(e, n)}\n}`,
      );
    }
  });
  if (v) bindings.push('let v;');
  const chunks: string[] = [];
  for (let start = 0; start < plan.nodes.length; start += NODES_PER_CHUNK) {
    const statements: string[] = [];
    const end = Math.min(plan.nodes.length, start + NODES_PER_CHUNK);
    for (let n = start; n < end; n++) {
      const statement = nodeStatement(e, n);
      if (statement !== '') statements.push(statement);
    }
    chunks.push(statements.join('\n  '));
  }
  // A small plan runs in the step itself; a large one in chunks the optimising compiler takes one by one.
  const body = chunks.length === 1 ? chunks[0]! : chunks.map((_, c) => `c${int(c)}();`).join(' ');
  const chunkFunctions =
    chunks.length === 1 ? [] : chunks.map((chunk, c) => `function c${int(c)}() {\n  ${chunk}\n}`);
  const settle = layout.nodes
    .map((fast, n) => (fast.deferred ? `d${int(n)}();` : ''))
    .filter((call) => call !== '')
    .join(' ');
  return [
    '"use strict";',
    ...bindings,
    ...deferred,
    ...chunkFunctions,
    `function step(bars, barIndex) {\n  ${beginStepSource(layout.feedCount)}`,
    deferred.length > 0 ? '  S[0] += 1;' : '',
    `  ${body}`,
    `  ${collectOrdersSource(plan)}`,
    '}',
    `return { step: step, settle: function settle() { ${settle} } };`,
    '',
  ].join('\n');
}

/** beginStep() unrolled: one Map lookup per fed symbol, the step's time from the first bar found. */
function beginStepSource(feedCount: number): string {
  const lines = ['ctx.barIndex = barIndex;'];
  const times: string[] = [];
  for (let k = 0; k < feedCount; k++) {
    lines.push(`const b${int(k)} = bars.get(Y[${int(k)}]); FB[${int(k)}] = b${int(k)};`);
    times.push(`if (b${int(k)} !== undefined) ctx.time = b${int(k)}.time;`);
  }
  times.push('timeOfAnyBar(ctx, bars);');
  lines.push(times.join(' else '));
  return lines.join('\n  ');
}

/** collectOrders() unrolled over the plan's order slots. */
function collectOrdersSource(plan: Plan): string {
  const lines = ['if (RES.length !== 0) RES.length = 0;'];
  plan.orders.forEach((order, i) => {
    const slot = int(order.slot);
    lines.push(
      `if (G[${slot}] !== null && G[${slot}] !== undefined) { REC[${int(i)}].intent = G[${slot}]; RES.push(REC[${int(i)}]); }`,
    );
  });
  lines.push('return RES;');
  return lines.join('\n  ');
}

/** The source of the step function for a plan (what fast mode compiles), for tests and inspection. */
export function generateStepSource(plan: Plan): string {
  const feedOf = new Map<string, number>();
  const symbols = [...new Set(plan.feeds.map((f) => f.symbol))];
  for (const feed of plan.feeds) feedOf.set(feed.nodeId, symbols.indexOf(feed.symbol));
  return generateFastSource(plan, createFastLayout(plan, feedOf));
}
