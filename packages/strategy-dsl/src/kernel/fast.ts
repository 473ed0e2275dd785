// The fast-mode runtime: typed value storage, inline state and the evaluators of nodes without inline code,
// bound to the step function generated for the plan. Reads and writes convert between typed storage and
// Values, so snapshots look the same in both kernel modes.
import type { Bar, Evaluator, InlineStateView, Value } from '../contract';
import type { KernelOrder, Plan } from '../plan';
import { requireTimeframeMs } from '../timeframe';
import { BOOLEAN_NULL, createFastLayout, type FastLayout, generateFastSource } from './codegen';
import {
  createEvaluator,
  createFeeds,
  createOrderCollector,
  feedIndexOf,
  type OrderCollector,
  type RuntimePort,
  type StepContext,
  timeOfAnyBar,
} from './runtime';

/** What generated code binds to for a node that keeps its evaluator. */
interface FastEvaluatorNode {
  readonly evaluator: Evaluator;
  readonly inputs: Value[];
  readonly out: Value[];
  readonly ports: readonly Pick<RuntimePort, 'values'>[];
}

/** The objects the generated factory receives as R. */
interface FastBindings {
  readonly F: Float64Array;
  readonly B: Uint8Array;
  readonly G: Value[];
  readonly Z: Float64Array;
  readonly P: Float64Array;
  readonly O: readonly Value[];
  readonly A: readonly Float64Array[];
  readonly FB: (Bar | undefined)[];
  readonly T: Uint8Array;
  /** Step on which each deferred node last ran, against the step counter S[0]. */
  readonly D: Float64Array;
  readonly S: Float64Array;
  readonly ctx: StepContext;
  readonly N: readonly (FastEvaluatorNode | null)[];
  /** Fed symbols, order records and the reused result array of Kernel.step. */
  readonly Y: readonly string[];
  readonly REC: OrderCollector['records'];
  readonly RES: OrderCollector['result'];
  readonly timeOfAnyBar: typeof timeOfAnyBar;
  /** One mutable bar per fed symbol, reused row after row by the batch loop where only inline code reads it. */
  readonly BR: readonly { -readonly [K in keyof Bar]: number }[];
  /** The bar of row `row` of columns, for slots that held a reused bar object in the batch loop. */
  readonly barOf: (columns: BarColumns, row: number) => Bar;
  readonly U: typeof callUpdate;
}

/** Every evaluator call of generated code goes through here (see codegen.ts, nodeBody). */
function callUpdate(evaluator: Evaluator, inputs: Value[], out: Value[], ctx: StepContext): void {
  evaluator.update(inputs, out, ctx);
}

/** Columns of bars (like a CandleSeries): row r is one bar. */
export interface BarColumns {
  readonly time: ArrayLike<number>;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

/** Receives the orders of one step: a reused array of reused records, like Kernel.step's (copy what you keep). */
export type OrdersCallback = (barIndex: number, orders: readonly KernelOrder[]) => void;

export interface FastRuntime {
  step(bars: ReadonlyMap<string, Bar>, barIndex: number): readonly KernelOrder[];
  /** Steps rows [from, to) of `columns` (one set per fed symbol, in Feeds order, rows aligned in time); row
   * `from` is bar index `first`. */
  run(
    columns: readonly BarColumns[],
    from: number,
    to: number,
    first: number,
    onOrders: OrdersCallback,
  ): void;
  /** Brings every slot up to date (deferred nodes), before values are read from outside. */
  settle(): void;
  read(slot: number): Value;
  write(slot: number, value: Value): void;
  snapshotNode(n: number): unknown;
  restoreNode(n: number, state: unknown): void;
  /** Marks every deferred node as run on the current step, after its slots were restored. */
  restored(): void;
  readonly ctx: StepContext;
}

// Typed arrays made over their own ArrayBuffer live off the JavaScript heap even when small, so their data
// never moves and optimised code can address it directly instead of reloading a base pointer.
function float64s(length: number): Float64Array {
  return new Float64Array(new ArrayBuffer(8 * length));
}

function bytes(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

function stateView(layout: FastLayout, n: number, bindings: FastBindings): InlineStateView {
  const fast = layout.nodes[n]!;
  return {
    scalars: bindings.Z.subarray(fast.scalarStart, fast.scalarStart + fast.scalars.length),
    arrays: bindings.A.slice(fast.arrayStart, fast.arrayStart + fast.arrays.length),
  };
}

interface Compiled extends Pick<FastRuntime, 'step' | 'settle'> {
  loop(columns: readonly BarColumns[], from: number, to: number, first: number): number;
}

type Factory = (R: FastBindings) => Compiled;

/** Compiled factories by source, so kernels of one plan share their optimised code (see compileFactory). */
const factories = new Map<string, Factory>();
const MAX_FACTORIES = 64;

/**
 * One factory function per distinct source: the closures it makes for each kernel then share V8's type
 * feedback and optimised code, so a second kernel of a plan (an optimizer trial, the next backtest) starts
 * fast instead of paying the optimising compiler again. The source holds no user text (see codegen.ts).
 */
function compileFactory(source: string): Factory {
  const cached = factories.get(source);
  if (cached !== undefined) return cached;
  let first = true;
  let factory: Factory;
  try {
    factory = new Function('R', source) as Factory;
  } catch (error) {
    throw new Error(
      `kernel: the generated step function does not compile (${String(error)}); a node's inline code is malformed, run the plan in evaluator mode and report the node types it uses`,
    );
  }
  // Oldest first out: a long-lived server compiles many strategies, a run reuses the few it runs.
  if (factories.size >= MAX_FACTORIES) factories.delete(factories.keys().next().value!);
  // The first kernel of a plan makes its closures twice. V8 specialises optimised code to the one set of
  // closures a function has had, and throws that code away when a second kernel makes another set; made
  // twice from the start, the code it optimises is the one all kernels of the plan share.
  const shared: Factory = (R) => {
    if (first) {
      first = false;
      factory(R);
    }
    return factory(R);
  };
  factories.set(source, shared);
  return shared;
}

export function createFastRuntime(plan: Plan): FastRuntime {
  const baseTimeframeMs = requireTimeframeMs(plan.baseTimeframe);
  const feeds = createFeeds(plan);
  const layout = createFastLayout(plan, feedIndexOf(plan, feeds));
  const orders = createOrderCollector(plan);
  const Z = float64s(layout.scalarCount);
  const P = float64s(layout.constantCount);
  const O: Value[] = [];
  const A: Float64Array[] = [];
  for (const fast of layout.nodes) {
    Z.set(fast.scalars, fast.scalarStart);
    P.set(fast.constants, fast.constantStart);
    O.push(...fast.objects);
    for (const length of fast.arrays) A.push(float64s(length));
  }
  const F = float64s(plan.slotCount).fill(Number.NaN);
  const B = bytes(plan.slotCount).fill(BOOLEAN_NULL);
  const G = new Array<Value>(plan.slotCount).fill(null);
  const ctx: StepContext = { barIndex: 0, time: Number.NaN };
  const N = plan.nodes.map((node, n): FastEvaluatorNode | null => {
    if (layout.nodes[n]!.inline !== null) return null;
    const ports = node.definition.inputs.map((_, p) => {
      const source = node.inputSlots[p] ?? null;
      return { values: Array.isArray(source) ? source.map((): Value => null) : null };
    });
    return {
      evaluator: createEvaluator(plan, n, baseTimeframeMs),
      inputs: ports.map((port) => port.values),
      out: node.outputSlots.map(() => null),
      ports,
    };
  });
  const bindings: FastBindings = {
    F,
    B,
    G,
    Z,
    P,
    O,
    A,
    FB: feeds.bars,
    // The base clock ticks on every step; resampled clocks are set by their tick nodes.
    T: bytes(plan.clocks.length).fill(1, 0, 1),
    D: float64s(plan.nodes.length),
    S: float64s(1),
    ctx,
    N,
    Y: feeds.symbols,
    REC: orders.records,
    RES: orders.result,
    timeOfAnyBar,
    // NaN, not 0: fields that start as small integers would change shape on the first price and deoptimise.
    BR: feeds.symbols.map(() => ({
      time: Number.NaN,
      open: Number.NaN,
      high: Number.NaN,
      low: Number.NaN,
      close: Number.NaN,
      volume: Number.NaN,
    })),
    U: callUpdate,
    barOf: (columns, row) => ({
      time: columns.time[row]!,
      open: columns.open[row]!,
      high: columns.high[row]!,
      low: columns.low[row]!,
      close: columns.close[row]!,
      volume: columns.volume[row]!,
    }),
  };
  const compiled = compileFactory(generateFastSource(plan, layout))(bindings);
  const stores = layout.stores;

  return {
    ctx,
    step: compiled.step,
    run(columns, from, to, first, onOrders) {
      // The loop returns at each row with orders, so the callback is called from here, never from generated
      // code, and the loop's values are back in the stores while it runs.
      const loop = compiled.loop;
      let row = from;
      while (row < to) {
        const hit = loop(columns, row, to, first + (row - from));
        if (hit >= to) return;
        onOrders(first + (hit - from), orders.result);
        row = hit + 1;
      }
    },
    settle: compiled.settle,
    read(slot) {
      const store = stores[slot]!;
      if (store === 'F') {
        const value = F[slot]!;
        return Number.isNaN(value) ? null : value;
      }
      if (store === 'B') {
        const value = B[slot]!;
        return value === BOOLEAN_NULL ? null : value === 1;
      }
      return G[slot]!;
    },
    write(slot, value) {
      const store = stores[slot]!;
      if (store === 'F') F[slot] = typeof value === 'number' ? value : Number.NaN;
      else if (store === 'B') B[slot] = value === true ? 1 : value === false ? 0 : BOOLEAN_NULL;
      else G[slot] = value;
    },
    snapshotNode(n) {
      const fast = layout.nodes[n]!;
      if (fast.inline === null) return N[n]!.evaluator.snapshot();
      return fast.inline.snapshot(stateView(layout, n, bindings), plan.nodes[n]!.params);
    },
    restoreNode(n, state) {
      const fast = layout.nodes[n]!;
      if (fast.inline === null) N[n]!.evaluator.restore(state);
      else fast.inline.restore(state, stateView(layout, n, bindings), plan.nodes[n]!.params);
    },
    restored() {
      bindings.D.fill(bindings.S[0]!);
    },
  };
}
