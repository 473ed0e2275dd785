// The node contract: what a node type is (plain data plus one factory) and the values that flow
// between nodes at run time. packages/nodes implements it; the compiler and the kernel consume it.
import type { z } from 'zod';

/** The kinds of value a port carries. `number` and `boolean` are per-bar series; `scalar` is a number
 * that stays the same for the whole run (a constant) and may feed any `number` input. */
export type PortKind = 'number' | 'boolean' | 'scalar' | 'candles' | 'signal' | 'sizing' | 'exit' | 'order';

export type CandleField = 'open' | 'high' | 'low' | 'close' | 'volume';

export interface InputPort {
  readonly name: string;
  readonly kind: PortKind;
  readonly description: string;
  /** An optional input may stay unconnected; the evaluator then receives null for it. */
  readonly optional?: boolean;
  /** A multiple input accepts any number of edges; the evaluator receives them as an array. */
  readonly multiple?: boolean;
}

export interface OutputPort {
  readonly name: string;
  readonly kind: PortKind;
  readonly description: string;
  /** For data sources: which fields of the current bar this output reveals (look-ahead analysis). */
  readonly barFields?: readonly CandleField[];
}

export type NodeCategory =
  | 'data'
  | 'indicators'
  | 'math'
  | 'logic'
  | 'signals'
  | 'sizing'
  | 'exits'
  | 'orders';

/** A bar (candle). `time` is its open time in UTC milliseconds; its values are final once it has closed. */
export interface Bar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export type SignalAction = 'enter_long' | 'enter_short' | 'exit_long' | 'exit_short';

export interface Signal {
  readonly kind: 'signal';
  readonly action: SignalAction;
}

/** How big an entry should be. Resolved to a quantity by the engine, which knows equity and prices. */
export type Sizing =
  | { readonly kind: 'fixed'; readonly quantity: number }
  | { readonly kind: 'percent_equity'; readonly percent: number }
  /** Risk `riskPercent` of equity if the price moves `stopDistance` (absolute price units) against us. */
  | { readonly kind: 'risk'; readonly riskPercent: number; readonly stopDistance: number }
  /** Kelly fraction from the strategy's own closed trades, capped; `fallbackPercent` until `minTrades` exist. */
  | {
      readonly kind: 'kelly';
      readonly maxFraction: number;
      readonly window: number;
      readonly minTrades: number;
      readonly fallbackPercent: number;
    };

/** An exit attached to an entry. Distances are either a percent of the entry price or an absolute price distance. */
export type Exit =
  | { readonly kind: 'stop_loss'; readonly percent?: number; readonly distance?: number }
  | { readonly kind: 'take_profit'; readonly percent?: number; readonly distance?: number }
  | { readonly kind: 'trailing_stop'; readonly percent?: number; readonly distance?: number }
  | { readonly kind: 'time_exit'; readonly bars: number };

export type OrderType = 'market' | 'limit' | 'stop';

/** When an order node's orders may fill. `run_default` follows the run's fill setting (next open or this close). */
export type OrderTiming = 'run_default' | 'this_bar_open';

/** What an order node emits on a bar where its signal fired. The engine turns it into orders. */
export interface OrderIntent {
  readonly kind: 'order';
  readonly action: SignalAction;
  readonly orderType: OrderType;
  /** Limit: how far below (buy) / above (sell) the reference price, in percent. Stop: how far beyond it. */
  readonly offsetPercent: number;
  /** The price the offset applies to; null means the bar's close. */
  readonly referencePrice: number | null;
  readonly sizing: Sizing | null;
  readonly exits: readonly Exit[];
  readonly timing: OrderTiming;
  /** Bars a limit or stop order keeps working before it expires (0 = good till cancelled). */
  readonly expireAfterBars: number;
}

export type Value = number | boolean | Bar | Signal | Sizing | Exit | OrderIntent | readonly Value[] | null;

/** What an evaluator knows about the run besides its inputs. */
export interface EvalContext {
  /** Index of the current base bar (0-based). */
  readonly barIndex: number;
  /** Open time of the current base bar, UTC ms. */
  readonly time: number;
}

/** What a node's factory is told about where it runs. */
export interface CreateContext {
  readonly nodeId: string;
  /** The timeframe of the data the kernel is fed, in ms. */
  readonly baseTimeframeMs: number;
  /** Which input ports have an edge. An optional input reads null both when unconnected and when its
   * source is still warming up; nodes that must tell the two apart (an order node with a sizing input)
   * read this. Absent means the caller did not say. */
  readonly connected?: ReadonlySet<string>;
}

/**
 * A streaming evaluator: one `update` per bar, O(1) amortised.
 * The kernel calls `update` only when every required input is non-null; otherwise it sets all outputs
 * to null and leaves the state untouched. `out` has one slot per output port; write null while warming up.
 */
export interface Evaluator {
  update(inputs: readonly Value[], out: Value[], ctx: EvalContext): void;
  /** A JSON-serialisable copy of the state, so a live deployment restarts without re-warming. */
  snapshot(): unknown;
  restore(state: unknown): void;
}

/**
 * Fast-mode code for one node (optional). The kernel generates one JavaScript function for a whole plan;
 * a node with an inline spec contributes the source of one update instead of an evaluator call. The source
 * may use only what the context hands out (the kernel checks it and refuses anything else), so node ids,
 * symbols and other user text never reach generated code. Results must be bit-identical to the evaluator's:
 * the same float operations in the same order.
 */
export interface InlineSpec<P = Record<string, unknown>> {
  /** The numeric state the update keeps between bars, by index. */
  state(params: P): InlineState;
  /** Numbers the code reads through `constant(k)` (periods, levels): passed as data, never as source. */
  constants?(params: P): readonly number[];
  /** Values the code outputs by reference through `object(k)` (a node's frozen Signal). */
  objects?(params: P): readonly Value[];
  /** The source of one update. The kernel calls it only when every required input is non-null and the
   * node's clock ticked; it must write every output. `params` may choose between code shapes (an
   * operator) but must never be spliced into the source. */
  update(c: InlineCodeContext<P>): string;
  /** The state as the evaluator's snapshot() writes it, so snapshots move between kernel modes. */
  snapshot(state: InlineStateView, params: P): unknown;
  /** Loads an evaluator snapshot into the inline state; throws like the evaluator's restore(). */
  restore(snapshot: unknown, state: InlineStateView, params: P): void;
}

export interface InlineState {
  /** Initial values of the numeric state cells (NaN allowed). */
  readonly scalars: readonly number[];
  /** Lengths of the Float64Array buffers (rings), zero-filled at start. */
  readonly arrays?: readonly number[];
}

/** A node's own inline state, for snapshot and restore. */
export interface InlineStateView {
  readonly scalars: Float64Array;
  readonly arrays: readonly Float64Array[];
}

/**
 * The identifiers an inline update may use. Number values are float64 with NaN for null (so a number
 * output must never be NaN otherwise), booleans are JavaScript booleans when read.
 */
export interface InlineCodeContext<P = Record<string, unknown>> {
  readonly params: P;
  /** Expression of input port `p`: a number, a boolean, or a Bar for `candles` ports. */
  input(p: number): string;
  /** Expression of field `f` of the bar on `candles` input `p` (a data source's own bar is its input 0):
   * what `${input(p)}.${f}` reads, but the kernel's batch loop can read it from the columns directly, so
   * bar fields should be read through this rather than through input(). */
  field(p: number, f: CandleField | 'time'): string;
  /** Statement writing `expression` to output port `o` (booleans: any truthy expression). */
  write(o: number, expression: string): string;
  /** Statement writing null to output port `o`. */
  writeNull(o: number): string;
  /** Assignable expression of state cell `i`. */
  state(i: number): string;
  /** Identifier of state buffer `j` (a Float64Array). */
  array(j: number): string;
  /** Expression of constant `k`. */
  constant(k: number): string;
  /** Expression of object `k`. */
  object(k: number): string;
  /** A temporary local, scoped to this node's update (declare it with const or let). */
  temp(i: number): string;
}

/** A problem a node finds in its own parameters beyond what the schema says (the compiler adds the node id). */
export interface NodeParamIssue {
  readonly code: 'INVALID_PARAM' | 'LOOKAHEAD_NEGATIVE_SHIFT' | 'MISSING_INPUT';
  readonly message: string;
  readonly param?: string;
  readonly port?: string;
  readonly hint?: string;
}

/** Which inputs are connected, for node checks that depend on wiring (e.g. an ATR stop needs an ATR input). */
export interface CheckContext {
  readonly connected: ReadonlySet<string>;
}

export interface NodeDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  /** Stable type id used in saved graphs and in the DSL text, snake_case (e.g. `ema`, `crosses_above`). */
  readonly type: string;
  readonly version: number;
  readonly category: NodeCategory;
  readonly title: string;
  /** One line for the palette. */
  readonly description: string;
  readonly inputs: readonly InputPort[];
  readonly outputs: readonly OutputPort[];
  /** Parameters with defaults; number ranges (min/max) and `.meta({ step })` are what the optimizer searches. */
  readonly params: z.ZodType<P>;
  /** Bars of input before the first non-null output, for the given parameters. */
  warmup(params: P): number;
  /** For nodes that move data in time (lag): how many bars back. Negative would read the future. */
  shift?(params: P): number;
  /** For data sources: the market data the kernel feeds it. The kernel passes that symbol's current bar
   * as the only input (and skips the node, outputs null, on steps where the symbol has no bar). */
  feed?(params: P): { readonly symbol: string; readonly timeframe: string };
  /** For resample nodes: the timeframe of the output clock. The evaluator's last output port must be a
   * boolean that is true exactly on the steps where a higher-timeframe bar closed (the clock's tick). */
  outputTimeframe?(params: P): string;
  /** Checks beyond the schema. */
  check?(params: P, ctx: CheckContext): readonly NodeParamIssue[];
  create(params: P, ctx: CreateContext): Evaluator;
  /** Fast-mode code for this node; without it the fast kernel calls the evaluator. */
  readonly inline?: InlineSpec<NoInfer<P>>;
  /** The evaluator keeps nothing between bars that changes its outputs: they depend only on this update's
   * inputs. The fast kernel may then run it only on steps where a node reads its outputs. */
  readonly pure?: boolean;
}

/** The catalog the compiler is given: every node type and version it may see. */
export interface NodeCatalog {
  get(type: string, version: number): NodeDefinition | undefined;
  versions(type: string): readonly number[];
  all(): readonly NodeDefinition[];
}

/** A definition of any parameter type, as lists of definitions hold them. */
// biome-ignore lint/suspicious/noExplicitAny: parameters are contravariant in create(); a list of definitions must accept every parameter type.
export type AnyNodeDefinition = NodeDefinition<any>;

/** Builds a catalog from a list of definitions; duplicate (type, version) pairs are a programming error. */
export function createCatalog(definitions: readonly AnyNodeDefinition[]): NodeCatalog {
  const byKey = new Map<string, NodeDefinition>();
  const versionsByType = new Map<string, number[]>();
  for (const definition of definitions as readonly NodeDefinition[]) {
    const key = `${definition.type}@${definition.version}`;
    if (byKey.has(key)) throw new Error(`node catalog: ${key} is defined twice`);
    byKey.set(key, definition);
    const versions = versionsByType.get(definition.type) ?? [];
    versions.push(definition.version);
    versions.sort((a, b) => a - b);
    versionsByType.set(definition.type, versions);
  }
  const all = [...byKey.values()];
  return {
    get: (type, version) => byKey.get(`${type}@${version}`),
    versions: (type) => versionsByType.get(type) ?? [],
    all: () => all,
  };
}

/** Identity helper that keeps the parameter type of a definition while checking its shape. */
export function defineNode<P extends Record<string, unknown>>(
  definition: NodeDefinition<P>,
): NodeDefinition<P> {
  return definition;
}

/** A stateless evaluator's snapshot: nothing to keep. */
export const NO_STATE = Object.freeze({});
