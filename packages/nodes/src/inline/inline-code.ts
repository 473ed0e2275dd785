// Building blocks of the nodes' inline (fast-kernel) code: the same float operations, in the same order, as
// the state classes the evaluators use (Smoother, RingBuffer), and their snapshots in the evaluators' format.
import {
  type InlineCodeContext,
  type InlineSpec,
  type InlineStateView,
  NO_STATE,
} from '@candleflow/strategy-dsl';
import { RingBuffer } from '../indicators/internal/ring-buffer';
import { readNumber, readRecord, storeNumber } from '../indicators/internal/state';

/** An inline spec for a node that keeps nothing between bars. */
export function statelessInline<P>(
  update: (c: InlineCodeContext<P>) => string,
  extra: Pick<InlineSpec<P>, 'constants' | 'objects'> = {},
): InlineSpec<P> {
  return {
    state: () => ({ scalars: [] }),
    update,
    snapshot: () => NO_STATE,
    restore: () => {},
    ...extra,
  };
}

/** A NaN state cell is a null in the evaluator's snapshot (NaN is never a value there). */
export function orNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** Cells and constants of one Smoother: state cells [seen, sum, current], constants [period, alpha]. */
export interface SmootherRefs {
  readonly seen: string;
  readonly sum: string;
  readonly current: string;
  readonly period: string;
  readonly alpha: string;
}

export function smootherRefs(c: InlineCodeContext<unknown>, cell: number, constant: number): SmootherRefs {
  return {
    seen: c.state(cell),
    sum: c.state(cell + 1),
    current: c.state(cell + 2),
    period: c.constant(constant),
    alpha: c.constant(constant + 1),
  };
}

export const SMOOTHER_CELLS = [0, 0, Number.NaN] as const;

export function smootherConstants(period: number, kind: 'ema' | 'wilder'): number[] {
  return [period, kind === 'ema' ? 2 / (period + 1) : 1 / period];
}

/** Smoother.push(x) for an `x` that is a plain identifier (it is read more than once). */
export function smootherPush(s: SmootherRefs, x: string): string {
  return (
    `if (${s.seen} < ${s.period}) { ${s.sum} += ${x}; ${s.seen} += 1; ` +
    `if (${s.seen} === ${s.period}) ${s.current} = ${s.sum} / ${s.period}; } ` +
    `else { ${s.current} += ${s.alpha} * (${x} - ${s.current}); }`
  );
}

/** Smoother.snapshot() from the cells at `cell`. */
export function smootherSnapshot(state: InlineStateView, cell: number): unknown {
  const z = state.scalars;
  return { seen: z[cell], sum: z[cell + 1], current: storeNumber(z[cell + 2]!) };
}

/** Smoother.restore() into the cells at `cell`. */
export function smootherRestore(
  snapshot: unknown,
  state: InlineStateView,
  cell: number,
  where: string,
): void {
  const s = readRecord(snapshot, where);
  const seen = readNumber(s, 'seen', where);
  const sum = readNumber(s, 'sum', where);
  const current = readNumber(s, 'current', where);
  state.scalars.set([seen, sum, current], cell);
}

/** A RingBuffer as inline state: buffer `array`, cells [head, size] at `cell`, capacity constant. */
export interface RingRefs {
  readonly data: string;
  readonly head: string;
  readonly size: string;
  readonly capacity: string;
}

export function ringRefs(
  c: InlineCodeContext<unknown>,
  array: number,
  cell: number,
  constant: number,
): RingRefs {
  return {
    data: c.array(array),
    head: c.state(cell),
    size: c.state(cell + 1),
    capacity: c.constant(constant),
  };
}

/** RingBuffer.push(x) while the ring is filling (size < capacity). */
export function ringFill(r: RingRefs, x: string): string {
  return `${r.data}[(${r.head} + ${r.size}) % ${r.capacity}] = ${x}; ${r.size} += 1;`;
}

/** RingBuffer.push(x) on a full ring; the evicted value is stored in `evicted` (a declared temp) if given. */
export function ringSlide(r: RingRefs, x: string, evicted?: string): string {
  return (
    `${evicted === undefined ? '' : `${evicted} = ${r.data}[${r.head}]; `}` +
    `${r.data}[${r.head}] = ${x}; ${r.head} = (${r.head} + 1) % ${r.capacity};`
  );
}

/** RingBuffer.get(i): the i-th value, 0 = oldest. */
export function ringGet(r: RingRefs, i: string): string {
  return `${r.data}[(${r.head} + ${i}) % ${r.capacity}]`;
}

/** The ring's values, oldest first, through the RingBuffer class so the snapshot format is its own. */
function ringOf(state: InlineStateView, array: number, cell: number): RingBuffer {
  const data = state.arrays[array]!;
  const head = state.scalars[cell]!;
  const size = state.scalars[cell + 1]!;
  const ring = new RingBuffer(data.length);
  for (let i = 0; i < size; i++) ring.push(data[(head + i) % data.length]!);
  return ring;
}

export function ringSnapshot(state: InlineStateView, array: number, cell: number): unknown {
  return ringOf(state, array, cell).snapshot();
}

/** RingBuffer.restore(): validated by the class itself, then laid out from index 0. */
export function ringRestore(
  snapshot: unknown,
  state: InlineStateView,
  array: number,
  cell: number,
  where: string,
): void {
  const data = state.arrays[array]!;
  const ring = new RingBuffer(data.length);
  ring.restore(snapshot, where);
  for (let i = 0; i < ring.length; i++) data[i] = ring.get(i);
  state.scalars.set([0, ring.length], cell);
}
