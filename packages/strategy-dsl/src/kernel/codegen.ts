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
  // Callers pass a slot reference or a plain local, never a compound expression.
  if (store === 'F') return `${expression} !== ${expression}`;
  if (store === 'B') return `${expression} === ${int(BOOLEAN_NULL)}`;
  return `${expression} === null`;
}

function writeNull(e: Emitter, store: Store, slot: number): string {
  return `${slotRef(e, store, slot)} = ${store === 'F' ? 'NaN' : store === 'B' ? int(BOOLEAN_NULL) : 'null'};`;
}

interface Emitter {
  readonly plan: Plan;
  readonly layout: FastLayout;
  /** False: values in the typed stores and inline state loaded per update (Kernel.step). True: everything in
   * locals of the batch loop (Kernel.run), written back to the stores only where outside code can look. */
  readonly locals: boolean;
  /** Fed symbols whose bar object inline code reads beyond its fields (see bar modes in localLoopSource). */
  readonly live: Set<number>;
}

/** An input of inline code: its expression, and the fed symbol whose current bar it is (else -1). */
interface InlineInput {
  readonly expression: string;
  readonly feed: number;
}

/** Column locals of the batch loop by bar field. */
const COLUMN: Readonly<Record<string, string>> = {
  time: 'TI',
  open: 'OP',
  high: 'HI',
  low: 'LO',
  close: 'CL',
  volume: 'VO',
};

/** The expression of a slot: its cell in the typed store, or its local in the batch loop. */
function slotRef(e: Emitter, store: Store, slot: number): string {
  if (!e.locals) return read(store, slot);
  return `${LOCAL_PREFIX[store]}${int(slot)}`;
}

/** Locals of the batch loop: f numbers, q booleans (0/1, 2 = null), g anything else. */
const LOCAL_PREFIX: Readonly<Record<Store, string>> = { F: 'f', B: 'q', G: 'g' };

function nodeWhere(node: PlanNode): string {
  // Only the catalog's type id: never the node id or parameters, which are user text.
  return `node type ${node.definition.type}@${int(node.definition.version)}`;
}

function inlineCode(e: Emitter, n: number, inputs: readonly InlineInput[]): string {
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
  // Everything the update writes is a local of the batch loop, or a typed-store cell in step().
  const target = (o: number) => {
    const store = outputStore(o);
    const ref = slotRef(e, store, node.outputSlots[o]!);
    return { store, ref, name: e.locals ? ref : store };
  };
  const context: InlineCodeContext = {
    params: node.params,
    input: (p) => {
      range(p, inputs.length, 'input');
      const { expression, feed } = inputs[p]!;
      // A reader of the bar object itself needs it filled in on every row of the batch loop.
      if (feed >= 0 && fast.feed < 0) e.live.add(feed);
      for (const word of expression.match(/[A-Za-z_$][\w$]*/g) ?? []) handed.add(word);
      return expression;
    },
    field: (p, f) => {
      range(p, inputs.length, 'input');
      const column = COLUMN[f];
      if (column === undefined || !Object.hasOwn(COLUMN, f)) {
        throw new Error(
          `code generation: the inline code of ${nodeWhere(node)} asks for bar field ${String(f)}; bars have ${Object.keys(COLUMN).join(', ')}`,
        );
      }
      const { expression, feed } = inputs[p]!;
      if (e.locals && feed >= 0) {
        handed.add('row');
        return hand(`${column}${int(feed)}`, `${column}${int(feed)}[row]`);
      }
      for (const word of expression.match(/[A-Za-z_$][\w$]*/g) ?? []) handed.add(word);
      return `${expression}.${f}`;
    },
    write: (o, expression) => {
      const { store, ref, name } = target(o);
      const value = store === 'B' ? `(${expression}) ? 1 : 0` : expression;
      return hand(name, `${ref} = ${value};`);
    },
    writeNull: (o) => {
      const { store, name } = target(o);
      return hand(name, writeNull(e, store, node.outputSlots[o]!));
    },
    // In step() state and constants are loaded into locals once per update: the optimising compiler cannot
    // keep a typed-array cell in a register across stores to other typed arrays, a local it can. The batch
    // loop keeps them in locals for the whole run.
    state: (i) => {
      range(i, fast.scalars.length, 'state cell');
      cells.add(i);
      const name = e.locals ? `z${int(fast.scalarStart + i)}` : `z${int(i)}`;
      return hand(name, name);
    },
    array: (j) => {
      const name = `A${int(fast.arrayStart + range(j, fast.arrays.length, 'state buffer'))}`;
      return hand(name, name);
    },
    constant: (k) => {
      range(k, fast.constants.length, 'constant');
      constants.add(k);
      const name = e.locals ? `k${int(fast.constantStart + k)}` : `k${int(k)}`;
      return hand(name, name);
    },
    object: (k) => hand('O', `O[${int(fast.objectStart + range(k, fast.objects.length, 'object'))}]`),
    temp: (i) => {
      const name = `t${int(i)}`;
      return hand(name, name);
    },
  };
  const source = spec.update(context);
  checkInlineSource(source, handed, nodeWhere(node));
  // A data source that reads fields off its own bar rather than through field() needs the object filled in.
  if (fast.feed >= 0 && /\bb\s*\./.test(source)) e.live.add(fast.feed);
  if (e.locals) return `{ ${source} }`;
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

/** Runs a deferred node before its reader: a call in step(), its guarded body inline in the batch loop. */
function ensureDeferred(e: Emitter, owner: number): string {
  if (!e.locals) return `d${int(owner)}(); `;
  const id = int(owner);
  return `if (r${id} !== row) { r${id} = row; ${nodeBody(e, owner)} } `;
}

/** The statements of one node's update once its clock has ticked: null rule, then inline code or a call. */
function nodeBody(e: Emitter, n: number): string {
  const { plan, layout } = e;
  const node = plan.nodes[n]!;
  const fast = layout.nodes[n]!;
  const id = int(n);
  const outputStores = node.outputSlots.map((slot) => layout.stores[slot]!);
  const ref = (store: Store, slot: number) => slotRef(e, store, slot);
  const nullOutputs = node.outputSlots.map((slot, o) => writeNull(e, outputStores[o]!, slot)).join(' ');
  const tick =
    fast.ticks >= 0
      ? ` T[${int(fast.ticks)}] = ${ref(outputStores.at(-1)!, node.outputSlots.at(-1)!)} === 1 ? 1 : 0;`
      : '';

  // An evaluator call: typed values become Values on the way in and back on the way out.
  const copyOutputs = node.outputSlots
    .map((slot, o) => {
      const store = outputStores[o]!;
      const value = `o${id}[${int(o)}]`;
      if (store === 'F') return `v = ${value}; ${ref(store, slot)} = v === null ? NaN : v;`;
      if (store === 'B') return `v = ${value}; ${ref(store, slot)} = v === true ? 1 : v === false ? 0 : 2;`;
      return `${ref(store, slot)} = ${value};`;
    })
    .join(' ');
  // Through one shared function (U, see fast.ts) rather than e.update(): that call site soon sees every
  // evaluator and stops expecting one, so a new kernel's evaluators never throw away optimised code.
  const call = `U(e${id}, i${id}, o${id}, ctx); ${copyOutputs}${tick}`;

  if (fast.feed >= 0) {
    const run =
      fast.inline !== null
        ? `${inlineCode(e, n, [{ expression: 'b', feed: fast.feed }])}${tick}`
        : `i${id}[0] = b; ${call}`;
    // The batch loop runs only over rows where every fed symbol has a bar.
    if (e.locals) return `const b = w${int(fast.feed)}; ${run}`;
    return `const b = FB[${int(fast.feed)}];\n    if (b === undefined) { ${nullOutputs} } else { ${run} }`;
  }

  const locals: string[] = [];
  const writes: string[] = [];
  const inlineInputs: InlineInput[] = [];
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
      if (!port.optional) (deferred ? laterChecks : nowChecks).push(isNull(store, ref(store, slot)));
      if (fast.inline !== null) {
        const expression = store === 'B' ? `(${ref(store, slot)} === 1)` : ref(store, slot);
        // A bar straight from a data source (its candles output) is that symbol's current row.
        const feed = store === 'G' ? layout.nodes[owner]!.feed : -1;
        inlineInputs.push({ expression, feed });
        return;
      }
      const local = `a${int(p)}_${int(k)}`;
      locals.push(`${local} = ${ref(store, slot)}`);
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
  const ensureCalls = [...ensure].map((owner) => ensureDeferred(e, owner)).join('');
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

/** Plans up to this size run their batch loop with every value in a local; larger ones on the stores (the
 * step's chunked body), since the optimising compiler gives up on very large functions. */
export const LOCAL_LOOP_MAX_NODES = NODES_PER_CHUNK;

/**
 * The source of a factory `(R) => { step, settle, run }` over the fast runtime R (see fast.ts):
 * `step(bars, barIndex)` is Kernel.step; `settle()` runs the deferred nodes nobody read this step, so every
 * slot holds its value before it is read from outside or snapshot; `loop(C, from, to, first)` is the batch
 * loop of Kernel.run: it steps rows [from, to) of aligned columns C (one set per fed symbol) up to and
 * including the first row with orders, leaves them in RES and returns that row (`to` when none had any).
 */
export function generateFastSource(plan: Plan, layout: FastLayout): string {
  const e: Emitter = { plan, layout, locals: false, live: new Set() };
  const bindings = [
    'const F = R.F, B = R.B, G = R.G, Z = R.Z, P = R.P, O = R.O, FB = R.FB, T = R.T, D = R.D, S = R.S, ctx = R.ctx;',
    'const Y = R.Y, REC = R.REC, RES = R.RES, timeOfAnyBar = R.timeOfAnyBar, BR = R.BR, barOf = R.barOf, U = R.U;',
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
  const run =
    layout.feedCount === 0
      ? 'function loop(C, from, to) { return to; }' // Kernel.run steps such plans one by one instead
      : plan.nodes.length <= LOCAL_LOOP_MAX_NODES
        ? localLoopSource({ ...e, locals: true, live: new Set() })
        : storeLoopSource(plan, layout, body, deferred.length > 0);
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
    run,
    `return { step: step, settle: function settle() { ${settle} }, loop: loop };`,
    '',
  ].join('\n');
}

/**
 * How the batch loop makes the bar of a fed symbol each row: `fresh`, a new object (an evaluator reads it and
 * may keep it, as step() hands over the caller's bars); `live`, one object whose fields are rewritten (inline
 * code reads the object); `marker`, one object left as it is, because inline code reads the fields from the
 * columns through field() and the slot only needs to be non-null. Rewriting an object's number fields costs
 * more than all the arithmetic of a typical strategy, so `marker` is what the loop aims for.
 */
type BarMode = 'fresh' | 'live' | 'marker';

/** Column locals of fed symbol k and the statement that makes its bar `w<k>` for the current row. */
function feedColumns(k: number, mode: BarMode): { columns: string; bar: string } {
  const K = int(k);
  const fields = Object.keys(COLUMN);
  const column = (field: string) => `${COLUMN[field]!}${K}`;
  const columns = `const ${fields.map((f) => `${column(f)} = C[${K}].${f}`).join(', ')};`;
  const bar =
    mode === 'fresh'
      ? `const w${K} = { ${fields.map((f) => `${f}: ${column(f)}[row]`).join(', ')} };`
      : mode === 'live'
        ? `${fields.map((f) => `BR${K}.${f} = ${column(f)}[row];`).join(' ')} const w${K} = BR${K};`
        : `const w${K} = BR${K};`;
  return { columns, bar };
}

/**
 * Feeds whose bar may be one object reused row after row: only inline code reads it (an evaluator might keep
 * the object it is handed, as step() hands the caller's own bars).
 */
function reusableFeeds(e: Emitter): boolean[] {
  const { plan, layout } = e;
  const reuse = new Array<boolean>(layout.feedCount).fill(true);
  plan.nodes.forEach((node, n) => {
    const fast = layout.nodes[n]!;
    if (fast.inline !== null) return;
    // A data source without inline code is an evaluator handed the bar itself.
    if (fast.feed >= 0) reuse[fast.feed] = false;
    for (const source of node.inputSlots) {
      const slots = source === null ? [] : typeof source === 'number' ? [source] : source;
      for (const slot of slots) {
        const feed = layout.nodes[layout.owners[slot]!]!.feed;
        if (feed >= 0 && layout.stores[slot] === 'G') reuse[feed] = false;
      }
    }
  });
  return reuse;
}

/**
 * The batch loop with every slot value, inline state cell and constant in a local for the whole run: the
 * per-bar body is the step's, on locals. They are written back to the stores when the loop returns (at a row
 * with orders, at the end, or when an evaluator throws), so value(), snapshot() and step() see what step()
 * would have left.
 */
function localLoopSource(e: Emitter): string {
  const { plan, layout } = e;
  // The body first: it tells which bars inline code reads as objects (e.live).
  const statements = plan.nodes.map((_, n) => nodeStatement(e, n)).filter((s) => s !== '');
  const reuse = reusableFeeds(e);
  const modes = reuse.map((r, k): BarMode => (!r ? 'fresh' : e.live.has(k) ? 'live' : 'marker'));
  const loads: string[] = [];
  const spill: string[] = [];
  const feedOfSlot = new Map<number, number>();
  plan.nodes.forEach((node, n) => {
    const feed = layout.nodes[n]!.feed;
    if (feed < 0) return;
    for (const slot of node.outputSlots) if (layout.stores[slot] === 'G') feedOfSlot.set(slot, feed);
  });
  for (let c = 0; c < layout.scalarCount; c++) {
    loads.push(`let z${int(c)} = Z[${int(c)}];`);
    spill.push(`Z[${int(c)}] = z${int(c)};`);
  }
  for (let k = 0; k < layout.constantCount; k++) loads.push(`const k${int(k)} = P[${int(k)}];`);
  layout.stores.forEach((store, slot) => {
    const local = slotRef(e, store, slot);
    loads.push(`let ${local} = ${read(store, slot)};`);
    // A reused bar object must not leak: outside code gets a bar of its own for the last row.
    const feed = feedOfSlot.get(slot);
    const value =
      feed === undefined || modes[feed] === 'fresh'
        ? local
        : `${local} === null ? null : barOf(C[${int(feed)}], last)`;
    spill.push(`${read(store, slot)} = ${value};`);
  });
  const deferredNodes = layout.nodes.flatMap((fast, n) => (fast.deferred ? [n] : []));
  for (const n of deferredNodes) loads.push(`let r${int(n)} = -1;`);
  const feeds = modes.map((mode, k) => feedColumns(k, mode));
  const reused = modes.flatMap((mode, k) => (mode !== 'fresh' ? [`const BR${int(k)} = BR[${int(k)}];`] : []));
  const anyOrder = plan.orders.map((o) => `g${int(o.slot)} != null`).join(' || ');
  const collect = plan.orders
    .map(
      (o, i) =>
        `if (g${int(o.slot)} != null) { REC[${int(i)}].intent = g${int(o.slot)}; RES.push(REC[${int(i)}]); }`,
    )
    .join(' ');
  // Deferred nodes that ran on the last row count as run on the current step (see settle()).
  const spillAt = (last: string) =>
    [
      ...spill,
      'S[0] += 1;',
      ...deferredNodes.map((n) => `if (r${int(n)} === ${last}) D[${int(n)}] = S[0];`),
    ].join(' ');
  return [
    'function loop(C, from, to, first) {',
    `  ${feeds.map((f) => f.columns).join('\n  ')}`,
    `  ${reused.join(' ')}`,
    `  ${loads.join(' ')}`,
    '  let v;',
    '  let row = from;',
    '  let hit = to;',
    '  let last = row;',
    '  try {',
    '    for (; row < to; row++) {',
    '      last = row;',
    '      const barIndex = first + (row - from);',
    `      ${feeds.map((f) => f.bar).join(' ')}`,
    '      ctx.barIndex = barIndex; ctx.time = TI0[row];',
    `      ${statements.join('\n      ')}`,
    anyOrder.length > 0 ? `      if (${anyOrder}) { RES.length = 0; ${collect} hit = row; break; }` : '',
    '    }',
    '  } finally {',
    // `last` is the row of the current step whether the loop ended, broke at orders or threw: no code
    // here that the loop's own rows have not run, so finishing never throws away the optimised loop.
    `    ${spillAt('last')}`,
    '  }',
    '  return hit;',
    '}',
  ].join('\n');
}

/** The batch loop of a large plan: the step body on the typed stores (chunked), bars from the columns. */
function storeLoopSource(plan: Plan, layout: FastLayout, body: string, deferred: boolean): string {
  const feeds = Array.from({ length: layout.feedCount }, (_, k) => feedColumns(k, 'fresh'));
  return [
    'function loop(C, from, to, first) {',
    `  ${feeds.map((f) => f.columns).join('\n  ')}`,
    '  for (let row = from; row < to; row++) {',
    `    ${feeds.map((f, k) => `${f.bar} FB[${int(k)}] = w${int(k)};`).join(' ')}`,
    '    ctx.barIndex = first + (row - from); ctx.time = TI0[row];',
    deferred ? '    S[0] += 1;' : '',
    `    ${body}`,
    `    ${collectOrdersSource(plan).replace('return RES;', 'if (RES.length !== 0) return row;')}`,
    '  }',
    '  return to;',
    '}',
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
