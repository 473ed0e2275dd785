// The streaming kernel: runs a Plan one base bar at a time, in evaluator mode (a loop over nodes) or fast
// mode (generated code); both give identical results. State can be snapshot and restored as JSON.
import type { Bar, Value } from '../contract';
import type { KernelOrder, Plan } from '../plan';
import { createFastRuntime } from './fast';
import {
  beginStep,
  collectOrders,
  createRuntime,
  markDeferredRun,
  runNodes,
  settleDeferred,
} from './runtime';

export interface Kernel {
  /** Runs one base step. `bars` has the current bar of each symbol that has one. Returns the order intents
   * of this step (a reused array of reused records: copy what you keep). */
  step(bars: ReadonlyMap<string, Bar>, barIndex: number): readonly KernelOrder[];
  /** Current value of any node output (for charts and tests). */
  value(nodeId: string, port: string): Value;
  snapshot(): KernelSnapshot;
  restore(snapshot: KernelSnapshot): void;
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

/** What the kernel needs from either mode: a step, slot access and per-node state. */
interface ModeRuntime {
  step(bars: ReadonlyMap<string, Bar>, barIndex: number): readonly KernelOrder[];
  /** Brings every slot up to date before it is read from outside (fast mode runs deferred nodes). */
  settle(): void;
  read(slot: number): Value;
  write(slot: number, value: Value): void;
  snapshotNode(n: number): unknown;
  restoreNode(n: number, state: unknown): void;
  restored(): void;
  readonly ctx: { time: number };
}

function evaluatorRuntime(plan: Plan): ModeRuntime {
  const runtime = createRuntime(plan);
  const { slots, nodes } = runtime;
  return {
    ctx: runtime.ctx,
    step(bars, barIndex) {
      beginStep(runtime.feeds, runtime.ctx, bars, barIndex);
      runNodes(runtime);
      return collectOrders(runtime.orders, slots);
    },
    settle: () => settleDeferred(runtime),
    read: (slot) => slots[slot]!,
    write(slot, value) {
      slots[slot] = value;
    },
    snapshotNode: (n) => nodes[n]!.evaluator.snapshot(),
    restoreNode(n, state) {
      nodes[n]!.evaluator.restore(state);
    },
    restored: () => markDeferredRun(runtime),
  };
}

export function createKernel(plan: Plan, options: KernelOptions = {}): Kernel {
  const runtime = options.mode === 'fast' ? createFastRuntime(plan) : evaluatorRuntime(plan);
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
