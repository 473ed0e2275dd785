// The kernel's per-plan runtime: evaluators, reused input/output arrays and value slots, laid out once so
// that a step allocates nothing. Both kernel modes (evaluator loop and generated code) run on it.
import type { Bar, EvalContext, Evaluator, OrderIntent, Value } from '../contract';
import type { KernelOrder, Plan } from '../plan';
import { requireTimeframeMs } from '../timeframe';

/** One input port as the evaluator loop reads it. */
export interface RuntimePort {
  /** The slot of a single connection; -1 when unconnected or `multiple`. */
  readonly slot: number;
  /** The slots of a `multiple` port; null otherwise. */
  readonly slots: readonly number[] | null;
  /** Reused array handed to the evaluator for a `multiple` port. */
  readonly values: Value[] | null;
  /** A null value on a required port means the node does not update this step. For a required `multiple`
   * port that is any null among its connections: the evaluator may rely on every one being present. */
  readonly required: boolean;
}

export interface RuntimeNode {
  readonly evaluator: Evaluator;
  readonly inputs: Value[];
  readonly out: Value[];
  readonly ports: readonly RuntimePort[];
  readonly outputSlots: readonly number[];
  readonly clock: number;
  /** The clock this node ticks (resample nodes), or -1. */
  readonly ticks: number;
  /** Feed nodes: the symbol whose bar is the node's input; null for other nodes. */
  readonly feedSymbol: string | null;
}

/** A KernelOrder the kernel fills in place on each step. */
interface MutableOrder {
  readonly nodeId: string;
  readonly symbol: string;
  intent: OrderIntent;
}

export interface Runtime {
  readonly plan: Plan;
  readonly nodes: readonly RuntimeNode[];
  readonly slots: Value[];
  /** 1 when the clock ticked on the current step; clock 0 (the base clock) always does. */
  readonly ticked: Uint8Array;
  readonly ctx: { barIndex: number; time: number };
  readonly orderSlots: readonly number[];
  readonly orderRecords: readonly MutableOrder[];
  readonly result: KernelOrder[];
}

export function createRuntime(plan: Plan): Runtime {
  const baseTimeframeMs = requireTimeframeMs(plan.baseTimeframe);
  const feedSymbol = new Map(plan.feeds.map((f) => [f.nodeId, f.symbol]));
  const ticksOf = new Map<string, number>();
  plan.clocks.forEach((clock, index) => {
    if (clock.tickNodeId !== null) ticksOf.set(clock.tickNodeId, index);
  });
  const nodes = plan.nodes.map((node): RuntimeNode => {
    const ports = node.definition.inputs.map((port, p): RuntimePort => {
      const source = node.inputSlots[p] ?? null;
      const multiple = Array.isArray(source) ? (source as readonly number[]) : null;
      return {
        slot: typeof source === 'number' ? source : -1,
        slots: multiple,
        values: multiple ? multiple.map(() => null) : null,
        required: !port.optional,
      };
    });
    return {
      evaluator: node.definition.create(node.params, {
        nodeId: node.id,
        baseTimeframeMs,
        // Optional inputs read null both unconnected and warming up; nodes that must tell them apart ask.
        connected: new Set(
          node.definition.inputs.filter((_, p) => node.inputSlots[p] != null).map((port) => port.name),
        ),
      }),
      // Unconnected inputs stay null; `multiple` inputs always hand over the same reused array; a feed's
      // only input is its bar.
      inputs: feedSymbol.has(node.id) ? [null] : ports.map((port) => port.values),
      out: node.outputSlots.map(() => null),
      ports,
      outputSlots: node.outputSlots,
      clock: node.clock,
      ticks: ticksOf.get(node.id) ?? -1,
      feedSymbol: feedSymbol.get(node.id) ?? null,
    };
  });
  return {
    plan,
    nodes,
    slots: new Array<Value>(plan.slotCount).fill(null),
    ticked: new Uint8Array(plan.clocks.length),
    ctx: { barIndex: 0, time: Number.NaN },
    orderSlots: plan.orders.map((o) => o.slot),
    orderRecords: plan.orders.map((o) => ({ nodeId: o.nodeId, symbol: o.symbol, intent: null as never })),
    result: [],
  };
}

/** Sets the step's context: the open time of the current base bar (the first feed's, else any bar's). */
export function beginStep(runtime: Runtime, bars: ReadonlyMap<string, Bar>, barIndex: number): void {
  const ctx = runtime.ctx;
  ctx.barIndex = barIndex;
  for (const feed of runtime.plan.feeds) {
    const bar = bars.get(feed.symbol);
    if (bar !== undefined) {
      ctx.time = bar.time;
      return;
    }
  }
  for (const bar of bars.values()) {
    ctx.time = bar.time;
    return;
  }
}

/** Collects the non-null order slots into the reused result array. */
export function collectOrders(runtime: Runtime): readonly KernelOrder[] {
  const { slots, orderSlots, orderRecords, result } = runtime;
  result.length = 0;
  for (let i = 0; i < orderSlots.length; i++) {
    const value = slots[orderSlots[i]!];
    if (value !== null && value !== undefined) {
      const record = orderRecords[i]!;
      record.intent = value as OrderIntent;
      result.push(record);
    }
  }
  return result;
}

/** The reference implementation of one step: a loop over plan nodes. */
export function runNodes(runtime: Runtime, bars: ReadonlyMap<string, Bar>): void {
  const { nodes, slots, ticked } = runtime;
  const ctx = runtime.ctx as EvalContext;
  ticked[0] = 1;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (node.ticks >= 0) ticked[node.ticks] = 0;
    if (ticked[node.clock] === 0) continue;
    const { inputs, out, outputSlots } = node;
    let ready = true;
    if (node.feedSymbol !== null) {
      const bar = bars.get(node.feedSymbol);
      if (bar === undefined) ready = false;
      else inputs[0] = bar;
    } else {
      const ports = node.ports;
      for (let p = 0; p < ports.length && ready; p++) {
        const port = ports[p]!;
        if (port.slot >= 0) {
          const value = slots[port.slot]!;
          if (value === null && port.required) ready = false;
          inputs[p] = value;
        } else if (port.slots !== null) {
          const values = port.values!;
          for (let k = 0; k < port.slots.length; k++) {
            const value = slots[port.slots[k]!]!;
            if (value === null && port.required) ready = false;
            values[k] = value;
          }
        }
      }
    }
    if (!ready) {
      for (let o = 0; o < outputSlots.length; o++) slots[outputSlots[o]!] = null;
      continue;
    }
    node.evaluator.update(inputs, out, ctx);
    for (let o = 0; o < outputSlots.length; o++) slots[outputSlots[o]!] = out[o]!;
    if (node.ticks >= 0) ticked[node.ticks] = out[out.length - 1] === true ? 1 : 0;
  }
}
