// The evaluator-mode runtime: evaluators, reused input/output arrays and value slots laid out once so that
// a step allocates nothing, plus what both kernel modes share (feed resolution, order collection).
import type { Bar, EvalContext, Evaluator, OrderIntent, Value } from '../contract';
import type { KernelOrder, Plan } from '../plan';
import { requireTimeframeMs } from '../timeframe';

/** The context handed to evaluators; the kernel updates it in place each step. */
export interface StepContext {
  barIndex: number;
  time: number;
}

/** The bars of the current step, resolved once per step for every fed symbol. */
export interface Feeds {
  /** Distinct fed symbols, in order of first feed in the plan. */
  readonly symbols: readonly string[];
  /** The current bar of each symbol, or undefined on a step without one. */
  readonly bars: (Bar | undefined)[];
}

export function createFeeds(plan: Plan): Feeds {
  const symbols = [...new Set(plan.feeds.map((f) => f.symbol))];
  return { symbols, bars: symbols.map(() => undefined) };
}

/** Index into Feeds.bars of each node (-1 for nodes that are not fed). */
export function feedIndexOf(plan: Plan, feeds: Feeds): Map<string, number> {
  return new Map(plan.feeds.map((f) => [f.nodeId, feeds.symbols.indexOf(f.symbol)]));
}

/** The clock each node ticks (resample nodes), by node id. */
export function ticksOf(plan: Plan): Map<string, number> {
  const ticks = new Map<string, number>();
  plan.clocks.forEach((clock, index) => {
    if (clock.tickNodeId !== null) ticks.set(clock.tickNodeId, index);
  });
  return ticks;
}

/**
 * Pure nodes on the base clock that only other nodes read (not orders, clocks or feeds) run on demand: a
 * step skips them and a reader runs them once it is about to update. Sizing and exit nodes that build a
 * fresh object per bar then cost nothing on bars without an order. Both kernel modes use this rule.
 */
export function deferrableNodes(plan: Plan): boolean[] {
  const owner = new Array<number>(plan.slotCount).fill(-1);
  plan.nodes.forEach((node, n) => {
    for (const slot of node.outputSlots) owner[slot] = n;
  });
  const readers = new Array<number>(plan.nodes.length).fill(0);
  for (const node of plan.nodes) {
    for (const source of node.inputSlots) {
      const slots = source === null ? [] : typeof source === 'number' ? [source] : source;
      for (const slot of slots) readers[owner[slot]!]! += 1;
    }
  }
  const ticks = ticksOf(plan);
  const orders = new Set(plan.orders.map((o) => o.nodeId));
  const feeds = new Set(plan.feeds.map((f) => f.nodeId));
  return plan.nodes.map(
    (node, n) =>
      node.definition.pure === true &&
      node.clock === 0 &&
      readers[n]! > 0 &&
      !ticks.has(node.id) &&
      !orders.has(node.id) &&
      !feeds.has(node.id),
  );
}

/** What a node's factory is told: the base timeframe and which inputs have an edge. */
export function createEvaluator(plan: Plan, n: number, baseTimeframeMs: number): Evaluator {
  const node = plan.nodes[n]!;
  return node.definition.create(node.params, {
    nodeId: node.id,
    baseTimeframeMs,
    // Optional inputs read null both unconnected and warming up; nodes that must tell them apart ask.
    connected: new Set(
      node.definition.inputs.filter((_, p) => node.inputSlots[p] != null).map((port) => port.name),
    ),
  });
}

/**
 * Resolves the step's bars by symbol (one Map lookup per fed symbol per step) and sets the context: the
 * open time of the current base bar (the first fed symbol's, else any bar's).
 */
export function beginStep(
  feeds: Feeds,
  ctx: StepContext,
  bars: ReadonlyMap<string, Bar>,
  barIndex: number,
): void {
  ctx.barIndex = barIndex;
  const { symbols, bars: current } = feeds;
  let time = Number.NaN;
  for (let k = 0; k < symbols.length; k++) {
    const bar = bars.get(symbols[k]!);
    current[k] = bar;
    if (bar !== undefined && Number.isNaN(time)) time = bar.time;
  }
  if (!Number.isNaN(time)) ctx.time = time;
  else timeOfAnyBar(ctx, bars);
}

/** A step without a bar of any fed symbol takes its time from any bar it has (else keeps the last). */
export function timeOfAnyBar(ctx: StepContext, bars: ReadonlyMap<string, Bar>): void {
  for (const bar of bars.values()) {
    ctx.time = bar.time;
    return;
  }
}

/** A KernelOrder the kernel fills in place on each step. */
interface MutableOrder {
  readonly nodeId: string;
  readonly symbol: string;
  intent: OrderIntent;
}

/** The order slots of a plan and the reused records and result array they are reported in. */
export interface OrderCollector {
  readonly slots: readonly number[];
  readonly records: readonly MutableOrder[];
  readonly result: KernelOrder[];
}

export function createOrderCollector(plan: Plan): OrderCollector {
  const records = plan.orders.map((o) => ({ nodeId: o.nodeId, symbol: o.symbol, intent: null as never }));
  // Made holding an object, then emptied: an empty literal holds small integers until the first push
  // changes its kind, and code optimised on another kernel's result array would deoptimise on that.
  const result: KernelOrder[] = [{ nodeId: '', symbol: '', intent: null as never }];
  result.length = 0;
  return { slots: plan.orders.map((o) => o.slot), records, result };
}

/** One input port as the evaluator loop reads it. */
export interface RuntimePort {
  /** The deferred nodes this port reads, run before it is read; empty for most ports. */
  readonly deferred: readonly number[];
  /** Where the connections of a `multiple` port live (see Runtime.slotArrays); null otherwise. */
  readonly arrays: readonly Value[][] | null;
  readonly indices: Int32Array | null;
  /** Reused array handed to the evaluator for a `multiple` port. */
  readonly values: Value[] | null;
  /** A null value on a required port means the node does not update this step. For a required `multiple`
   * port that is any null among its connections: the evaluator may rely on every one being present. */
  readonly required: boolean;
}

export interface RuntimeNode {
  readonly evaluator: Evaluator;
  /** The evaluator's update, read once: the loop calls it without a per-node property lookup. */
  readonly update: Evaluator['update'];
  readonly inputs: Value[];
  /** The evaluator's outputs, which are also the values of the node's slots (see Runtime.slotArrays). */
  readonly out: Value[];
  /** Per input port with one connection: the `out` array it reads, at `sourceIndices[p]`; else null. */
  readonly sourceArrays: readonly (Value[] | null)[];
  /** Per input port: the index into `sourceArrays[p]`; -1 when unconnected or `multiple`. */
  readonly sourceIndices: Int32Array;
  /** Per input port: 1 when a null there means the node does not update. */
  readonly requiredPorts: Uint8Array;
  /** No feed, no `multiple` port and no deferred node behind any port: the loop's short path. */
  readonly plain: boolean;
  readonly ports: readonly RuntimePort[];
  readonly clock: number;
  /** The clock this node ticks (resample nodes), or -1. */
  readonly ticks: number;
  /** Feed nodes: index into Feeds.bars of the bar that is the node's only input; -1 for other nodes. */
  readonly feed: number;
  /** Runs on demand (see deferrableNodes); `ranOnStep` says on which step it last did. */
  readonly deferred: boolean;
  ranOnStep: number;
}

export interface Runtime {
  readonly plan: Plan;
  readonly nodes: readonly RuntimeNode[];
  /**
   * Slot s is `slotArrays[s][slotIndices[s]]`: the `out` array of the node that writes it. Readers read the
   * writer's outputs in place, so a step copies no output into a separate slot array; a node that does not
   * update writes null into its own `out`.
   */
  readonly slotArrays: readonly Value[][];
  readonly slotIndices: Int32Array;
  /** 1 when the clock ticked on the current step; clock 0 (the base clock) always does. */
  readonly ticked: Uint8Array;
  readonly ctx: StepContext;
  readonly feeds: Feeds;
  readonly orders: OrderCollector;
  /** Counts steps, so deferred nodes know whether they ran on this one. */
  stepCount: number;
}

export function readSlot(runtime: Runtime, slot: number): Value {
  return runtime.slotArrays[slot]![runtime.slotIndices[slot]!]!;
}

export function writeSlot(runtime: Runtime, slot: number, value: Value): void {
  runtime.slotArrays[slot]![runtime.slotIndices[slot]!] = value;
}

export function createRuntime(plan: Plan): Runtime {
  const baseTimeframeMs = requireTimeframeMs(plan.baseTimeframe);
  const feeds = createFeeds(plan);
  const feedOf = feedIndexOf(plan, feeds);
  const ticks = ticksOf(plan);
  const deferred = deferrableNodes(plan);
  const owner = new Array<number>(plan.slotCount).fill(-1);
  // A slot no node writes (none in a compiled plan) reads null from an array of its own.
  const slotArrays: Value[][] = Array.from({ length: plan.slotCount }, (): Value[] => [null]);
  const slotIndices = new Int32Array(plan.slotCount);
  const outs = plan.nodes.map((node, n) => {
    const out = node.outputSlots.map((): Value => null);
    node.outputSlots.forEach((slot, o) => {
      owner[slot] = n;
      slotArrays[slot] = out;
      slotIndices[slot] = o;
    });
    return out;
  });
  const nodes = plan.nodes.map((node, n): RuntimeNode => {
    const ports = node.definition.inputs.map((port, p): RuntimePort => {
      const source = node.inputSlots[p] ?? null;
      const multiple = Array.isArray(source) ? (source as readonly number[]) : null;
      const sources = source === null ? [] : typeof source === 'number' ? [source] : source;
      return {
        deferred: [...new Set(sources.map((slot) => owner[slot]!))].filter((o) => deferred[o]),
        arrays: multiple ? multiple.map((slot) => slotArrays[slot]!) : null,
        indices: multiple ? Int32Array.from(multiple, (slot) => slotIndices[slot]!) : null,
        values: multiple ? multiple.map(() => null) : null,
        required: !port.optional,
      };
    });
    const single = node.definition.inputs.map((_, p) => {
      const source = node.inputSlots[p] ?? null;
      return typeof source === 'number' ? source : -1;
    });
    const evaluator = createEvaluator(plan, n, baseTimeframeMs);
    const feed = feedOf.get(node.id) ?? -1;
    return {
      evaluator,
      update: evaluator.update,
      // Unconnected inputs stay null; `multiple` inputs always hand over the same reused array; a feed's
      // only input is its bar.
      inputs: feed >= 0 ? [null] : ports.map((port) => port.values),
      out: outs[n]!,
      sourceArrays: single.map((slot) => (slot >= 0 ? slotArrays[slot]! : null)),
      sourceIndices: Int32Array.from(single, (slot) => (slot >= 0 ? slotIndices[slot]! : -1)),
      requiredPorts: Uint8Array.from(ports, (port) => (port.required ? 1 : 0)),
      plain: feed < 0 && ports.every((port) => port.values === null && port.deferred.length === 0),
      ports,
      clock: node.clock,
      ticks: ticks.get(node.id) ?? -1,
      feed,
      deferred: deferred[n]!,
      ranOnStep: 0,
    };
  });
  return {
    plan,
    nodes,
    slotArrays,
    slotIndices,
    ticked: new Uint8Array(plan.clocks.length),
    ctx: { barIndex: 0, time: Number.NaN },
    feeds,
    orders: createOrderCollector(plan),
    stepCount: 0,
  };
}

/** Collects the step's non-null orders into the collector's reused result array. */
export function collectOrders(runtime: Runtime): readonly KernelOrder[] {
  const { slots, records, result } = runtime.orders;
  // Setting length is a runtime call even when it does not change; most steps have no orders.
  if (result.length !== 0) result.length = 0;
  for (let i = 0; i < slots.length; i++) {
    const value = readSlot(runtime, slots[i]!);
    if (value !== null && value !== undefined) {
      const record = records[i]!;
      record.intent = value as OrderIntent;
      result.push(record);
    }
  }
  return result;
}

/**
 * Reads the inputs of a plain node (single connections only) straight from the outputs of the nodes it
 * reads; false when a required one is null.
 */
function readPlainInputs(node: RuntimeNode): boolean {
  const { sourceArrays, sourceIndices, requiredPorts, inputs } = node;
  for (let p = 0; p < sourceIndices.length; p++) {
    const index = sourceIndices[p]!;
    if (index < 0) continue;
    const value = sourceArrays[p]![index]!;
    if (value === null && requiredPorts[p] === 1) return false;
    inputs[p] = value;
  }
  return true;
}

/** The general case: runs the deferred nodes a port reads first, and fills `multiple` ports' arrays. */
function readInputs(runtime: Runtime, node: RuntimeNode): boolean {
  const { ports, inputs, sourceArrays, sourceIndices } = node;
  for (let p = 0; p < ports.length; p++) {
    const port = ports[p]!;
    for (let k = 0; k < port.deferred.length; k++) runDeferred(runtime, port.deferred[k]!);
    const index = sourceIndices[p]!;
    if (index >= 0) {
      const value = sourceArrays[p]![index]!;
      if (value === null && port.required) return false;
      inputs[p] = value;
    } else if (port.values !== null) {
      const { values, arrays, indices } = port;
      for (let k = 0; k < values.length; k++) {
        const value = arrays![k]![indices![k]!]!;
        if (value === null && port.required) return false;
        values[k] = value;
      }
    }
  }
  return true;
}

/** One node's update once its clock has ticked: the null rule, the evaluator, its outputs. */
function runNode(runtime: Runtime, node: RuntimeNode): void {
  const out = node.out;
  let ready: boolean;
  if (node.plain) ready = readPlainInputs(node);
  else if (node.feed >= 0) {
    const bar = runtime.feeds.bars[node.feed];
    ready = bar !== undefined;
    node.inputs[0] = bar ?? null;
  } else ready = readInputs(runtime, node);
  if (!ready) {
    for (let o = 0; o < out.length; o++) out[o] = null;
    return;
  }
  node.update.call(node.evaluator, node.inputs, out, runtime.ctx as EvalContext);
  if (node.ticks >= 0) runtime.ticked[node.ticks] = out[out.length - 1] === true ? 1 : 0;
}

/** Runs a deferred node unless it already ran on this step. */
function runDeferred(runtime: Runtime, n: number): void {
  const node = runtime.nodes[n]!;
  if (node.ranOnStep === runtime.stepCount) return;
  node.ranOnStep = runtime.stepCount;
  runNode(runtime, node);
}

/** Runs the deferred nodes no reader needed on this step, so every slot holds its value. */
export function settleDeferred(runtime: Runtime): void {
  for (let n = 0; n < runtime.nodes.length; n++) {
    if (runtime.nodes[n]!.deferred) runDeferred(runtime, n);
  }
}

/** Marks every deferred node as run on the current step (its slots were just restored). */
export function markDeferredRun(runtime: Runtime): void {
  for (const node of runtime.nodes) node.ranOnStep = runtime.stepCount;
}

/** The reference implementation of one step: a loop over plan nodes. */
export function runNodes(runtime: Runtime): void {
  const { nodes, ticked } = runtime;
  runtime.stepCount++;
  ticked[0] = 1;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (node.ticks >= 0) ticked[node.ticks] = 0;
    if (ticked[node.clock] === 0 || node.deferred) continue;
    runNode(runtime, node);
  }
}
