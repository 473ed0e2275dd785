// The compiled program the kernel runs: nodes in topological order, each reading and writing value slots.
import type { NodeDefinition, OrderIntent } from './contract';
import type { Diagnostic } from './errors';
import type { Graph } from './graph';

export type ResolvedParams = Readonly<Record<string, number | string | boolean>>;

export interface PlanNode {
  readonly id: string;
  readonly definition: NodeDefinition;
  /** Node parameters after defaults and strategy-parameter binding. */
  readonly params: Readonly<Record<string, unknown>>;
  /** One entry per input port: the slot it reads, an array of slots for `multiple` ports, or null if unconnected. */
  readonly inputSlots: readonly (number | readonly number[] | null)[];
  /** One slot per output port. */
  readonly outputSlots: readonly number[];
  /** Index into Plan.clocks: the node updates only on steps where its clock ticks. */
  readonly clock: number;
}

export interface PlanClock {
  readonly timeframe: string;
  /** For a resampled clock: the node whose last output says whether it ticked this step. Null for the base clock. */
  readonly tickNodeId: string | null;
}

export interface PlanFeed {
  readonly nodeId: string;
  readonly symbol: string;
  readonly timeframe: string;
}

export interface PlanOrder {
  readonly nodeId: string;
  /** The slot holding the node's OrderIntent (or null) after a step. */
  readonly slot: number;
  /** The symbol this order trades, traced from the data its signal depends on. */
  readonly symbol: string;
}

export interface Plan {
  readonly nodes: readonly PlanNode[];
  readonly slotCount: number;
  readonly clocks: readonly PlanClock[];
  readonly feeds: readonly PlanFeed[];
  readonly orders: readonly PlanOrder[];
  readonly symbols: readonly string[];
  readonly baseTimeframe: string;
  /** Base bars before every order node can produce output. */
  readonly warmupBars: number;
  /** Strategy parameter values the plan was built with. */
  readonly paramValues: ResolvedParams;
}

export interface CompileOptions {
  /** Overrides of strategy parameter defaults, by name (`--param fast=10`). */
  readonly paramValues?: Readonly<Record<string, number | string | boolean>>;
  /** Refuse graphs with more nodes than this (default 2,000). */
  readonly maxNodes?: number;
}

export type CompileResult =
  | {
      readonly ok: true;
      readonly graph: Graph;
      readonly plan: Plan;
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly graph: Graph | null; readonly diagnostics: readonly Diagnostic[] };

/** One order node's output on a step. */
export interface KernelOrder {
  readonly nodeId: string;
  readonly symbol: string;
  readonly intent: OrderIntent;
}
