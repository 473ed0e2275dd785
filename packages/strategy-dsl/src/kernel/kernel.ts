// The streaming kernel: runs a Plan one base bar at a time, in evaluator mode (a loop over nodes) or fast
// mode (generated code); both give identical results. State can be snapshot and restored as JSON.
import type { Bar, Value } from '../contract';
import type { KernelOrder, Plan } from '../plan';
import { type BarColumns, createFastRuntime, type FastRuntime, type OrdersCallback } from './fast';
import {
  beginStep,
  collectOrders,
  createRuntime,
  markDeferredRun,
  readSlot,
  runNodes,
  settleDeferred,
  writeSlot,
} from './runtime';

export interface Kernel {
  /** Runs one base step. `bars` has the current bar of each symbol that has one. Returns the order intents
   * of this step (a reused array of reused records: copy what you keep). */
  step(bars: ReadonlyMap<string, Bar>, barIndex: number): readonly KernelOrder[];
  /**
   * Runs rows [from, to) of columnar bars as consecutive steps, with the results of as many step() calls but
   * without a Map or Bar object per step; in fast mode one generated loop keeps every value in locals.
   * `onOrders` gets each step that has orders (a reused array of reused records: copy what you keep); it
   * may read value() and snapshot() but must not step, run or restore this kernel.
   * The fed symbols' series must be aligned (the same time on each row); series of other symbols are
   * ignored. A plan that reads no market data, or a symbol missing from `series`, is stepped bar by bar
   * with step()'s rules (missing symbols read as bars that never come).
   */
  run(input: KernelRunInput, onOrders: OrdersCallback): void;
  /** Current value of any node output (for charts and tests). */
  value(nodeId: string, port: string): Value;
  snapshot(): KernelSnapshot;
  restore(snapshot: KernelSnapshot): void;
}

export interface KernelRunInput {
  /** Bars by symbol as columns (a CandleSeries fits). */
  readonly series: ReadonlyMap<string, BarColumns>;
  /** First row to run; default 0. */
  readonly from?: number;
  /** The row after the last one to run; default the length of the shortest fed series. */
  readonly to?: number;
  /** Bar index of row `from`, as step() would be given it; later rows count up from it. Default `from`. */
  readonly barIndex?: number;
}

export interface KernelOptions {
  /** 'evaluator' (default) loops over the plan; 'fast' runs code generated for the plan. */
  readonly mode?: 'evaluator' | 'fast';
}

/** JSON numbers cannot hold NaN or ±Infinity; slots that do are written as this marker. */
type EncodedSlot = unknown | { readonly $number: 'NaN' | 'Infinity' | '-Infinity' };

export interface KernelSnapshot {
  readonly format: 1;
  /** Node ids in plan order: a snapshot only restores into a kernel of the same plan. */
  readonly nodeIds: readonly string[];
  readonly evaluators: readonly unknown[];
  readonly slots: readonly EncodedSlot[];
  readonly time: number | null;
}

function encodeSlot(value: Value): EncodedSlot {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { $number: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  return value;
}

function decodeSlot(value: EncodedSlot): Value {
  if (typeof value === 'object' && value !== null && '$number' in value) {
    return Number((value as { $number: string }).$number);
  }
  return value as Value;
}

/** What the kernel needs from either mode: the fast path's interface (a step, the batch run, slot access and
 * per-node state), with a context that only has to carry the time. */
type ModeRuntime = Omit<FastRuntime, 'ctx'> & { readonly ctx: { time: number } };

function evaluatorRuntime(plan: Plan): ModeRuntime {
  const runtime = createRuntime(plan);
  const { nodes } = runtime;
  return {
    ctx: runtime.ctx,
    step(bars, barIndex) {
      beginStep(runtime.feeds, runtime.ctx, bars, barIndex);
      runNodes(runtime);
      return collectOrders(runtime);
    },
    run(columns, from, to, first, onOrders) {
      const { ctx, feeds } = runtime;
      const current = feeds.bars;
      const time = columns[0]!.time;
      for (let row = from; row < to; row++) {
        const barIndex = first + (row - from);
        // Fresh bars, as step() hands the caller's: an evaluator may keep the object it is given.
        for (let k = 0; k < columns.length; k++) current[k] = barAt(columns[k]!, row);
        ctx.barIndex = barIndex;
        ctx.time = time[row]!;
        runNodes(runtime);
        const orders = collectOrders(runtime);
        if (orders.length !== 0) onOrders(barIndex, orders);
      }
    },
    settle: () => settleDeferred(runtime),
    read: (slot) => readSlot(runtime, slot),
    write(slot, value) {
      writeSlot(runtime, slot, value);
    },
    snapshotNode: (n) => nodes[n]!.evaluator.snapshot(),
    restoreNode(n, state) {
      nodes[n]!.evaluator.restore(state);
    },
    restored: () => markDeferredRun(runtime),
  };
}

function barAt(columns: BarColumns, row: number): Bar {
  return {
    time: columns.time[row]!,
    open: columns.open[row]!,
    high: columns.high[row]!,
    low: columns.low[row]!,
    close: columns.close[row]!,
    volume: columns.volume[row]!,
  };
}

/** The rows Kernel.run runs, checked against every present fed series. */
function runRange(input: KernelRunInput, present: readonly BarColumns[]): { from: number; to: number } {
  const length = Math.min(...present.map((c) => c.time.length));
  const from = input.from ?? 0;
  const to = input.to ?? length;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to || to > length) {
    throw new Error(
      `kernel.run: rows ${String(from)} to ${String(to)} are not a range of the series (0 <= from <= to <= ${length}); pass row indices of the columns`,
    );
  }
  return { from, to };
}

/** Throws unless every fed series has the first one's time on every row of [from, to). */
function checkAligned(symbols: readonly string[], columns: readonly BarColumns[], from: number, to: number) {
  const time = columns[0]!.time;
  for (let k = 1; k < columns.length; k++) {
    const other = columns[k]!.time;
    for (let row = from; row < to; row++) {
      if (other[row] !== time[row]) {
        throw new Error(
          `kernel.run: ${symbols[k]} and ${symbols[0]} have different times on row ${row} (${other[row]} vs ${time[row]}); run needs aligned series, so step() through the merged timeline instead`,
        );
      }
    }
  }
}

export function createKernel(plan: Plan, options: KernelOptions = {}): Kernel {
  const runtime = options.mode === 'fast' ? createFastRuntime(plan) : evaluatorRuntime(plan);
  // The fed symbols in Feeds order (createFeeds), which is how both runtimes number their columns.
  const fedSymbols = [...new Set(plan.feeds.map((f) => f.symbol))];
  let running = false;
  const busy = (what: string) => {
    if (running) {
      throw new Error(
        `kernel: ${what} was called from inside run()'s onOrders callback; collect the orders and act on them after run() returns`,
      );
    }
  };
  const slotByPort = new Map<string, Map<string, number>>();
  for (const node of plan.nodes) {
    slotByPort.set(
      node.id,
      new Map(node.definition.outputs.map((port, o) => [port.name, node.outputSlots[o]!])),
    );
  }
  const nodeIds = plan.nodes.map((n) => n.id);

  return {
    step: runtime.step,
    run(input, onOrders) {
      busy('run()');
      const columns = fedSymbols.map((symbol) => input.series.get(symbol));
      const present = columns.filter((c): c is BarColumns => c !== undefined);
      if (present.length === 0) {
        throw new Error(
          `kernel.run: none of the symbols the strategy reads (${fedSymbols.join(', ') || 'none'}) is in the series; pass their bars`,
        );
      }
      const { from, to } = runRange(input, present);
      const first = input.barIndex ?? from;
      running = true;
      try {
        if (present.length === columns.length) {
          checkAligned(fedSymbols, present, from, to);
          runtime.run(present, from, to, first, onOrders);
          return;
        }
        // Some fed symbol has no data: step()'s rules give its nodes null on every step.
        const bars = new Map<string, Bar>();
        for (let row = from; row < to; row++) {
          columns.forEach((c, k) => {
            if (c !== undefined) bars.set(fedSymbols[k]!, barAt(c, row));
          });
          const orders = runtime.step(bars, first + (row - from));
          if (orders.length !== 0) onOrders(first + (row - from), orders);
        }
      } finally {
        running = false;
      }
    },
    value(nodeId, port) {
      const ports = slotByPort.get(nodeId);
      if (!ports) throw new Error(`kernel: the plan has no node '${nodeId}'`);
      const slot = ports.get(port);
      if (slot === undefined) {
        throw new Error(
          `kernel: node '${nodeId}' has no output '${port}'; its outputs are ${[...ports.keys()].join(', ')}`,
        );
      }
      runtime.settle();
      return runtime.read(slot);
    },
    snapshot() {
      runtime.settle();
      const time = runtime.ctx.time;
      const slots: EncodedSlot[] = [];
      for (let slot = 0; slot < plan.slotCount; slot++) slots.push(encodeSlot(runtime.read(slot)));
      return {
        format: 1,
        nodeIds,
        evaluators: nodeIds.map((_, n) => runtime.snapshotNode(n)),
        slots,
        time: Number.isFinite(time) ? time : null,
      };
    },
    restore(snapshot) {
      busy('restore()');
      if (snapshot.format !== 1)
        throw new Error(`kernel: snapshot format ${String(snapshot.format)} is not supported`);
      const mismatch =
        snapshot.nodeIds.length !== nodeIds.length || snapshot.nodeIds.some((id, i) => id !== nodeIds[i]);
      if (
        mismatch ||
        snapshot.slots.length !== plan.slotCount ||
        snapshot.evaluators.length !== nodeIds.length
      ) {
        throw new Error(
          'kernel: the snapshot was taken from a different plan (its nodes or slots differ); recompile the strategy the snapshot came from, or start without it',
        );
      }
      nodeIds.forEach((_, n) => {
        runtime.restoreNode(n, snapshot.evaluators[n]);
      });
      snapshot.slots.forEach((value, slot) => {
        runtime.write(slot, decodeSlot(value));
      });
      runtime.restored();
      runtime.ctx.time = snapshot.time ?? Number.NaN;
    },
  };
}
