// Shared evaluator of the order nodes: turns a signal plus its sizing and exits into an OrderIntent.
// An entry never goes out without the protection wired to it: if a connected exit or size has no
// value yet (an ATR stop still warming up), the node outputs nothing on that bar.
import {
  defineNode,
  type Exit,
  type NodeDefinition,
  type OrderIntent,
  type OrderType,
  type Signal,
  type Sizing,
  type Value,
} from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../math/stateless';

const NO_EXITS: readonly Exit[] = Object.freeze([]);

const timing = z
  .enum(['run_default', 'this_bar_open'])
  .default('run_default')
  .describe("When the order may fill: the run's fill setting, or at this bar's open.");

const symbol = z
  .string()
  .max(64)
  .default('')
  .describe('Symbol to trade; empty means the symbol whose data drives the signal.');

export const marketOrderParams = z.object({ timing, symbol });

/** Parameters of the resting orders (limit and stop), whose price sits an offset away from the reference. */
export function restingOrderParams(defaultOffsetPercent: number) {
  return z.object({
    timing,
    symbol,
    offsetPercent: z
      .number()
      .min(0)
      .max(50)
      .default(defaultOffsetPercent)
      .meta({ step: 0.1 })
      .describe('Distance of the order price from the reference price, in percent.'),
    expireAfterBars: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(0)
      .describe('Bars the order keeps working before it expires; 0 keeps it until cancelled.'),
  });
}

export type OrderParams = z.infer<typeof marketOrderParams> & {
  offsetPercent?: number;
  expireAfterBars?: number;
};

export interface OrderNodeSpec<P extends OrderParams> {
  readonly type: string;
  readonly orderType: OrderType;
  readonly title: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
}

function isEntry(signal: Signal): boolean {
  return signal.action === 'enter_long' || signal.action === 'enter_short';
}

function isUsablePrice(value: Value): value is number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value);
}

/** The connected exits, or null when any of them has no value on this bar. */
function readyExits(value: Value): readonly Exit[] | null {
  if (value === null || value === undefined) return NO_EXITS;
  const exits = (Array.isArray(value) ? value : [value]) as readonly (Exit | null | undefined)[];
  if (exits.length === 0) return NO_EXITS;
  for (const exit of exits) {
    if (exit === null || exit === undefined) return null;
  }
  // Copied, because the kernel may reuse the array it passes in from bar to bar.
  return Object.freeze([...exits]) as readonly Exit[];
}

export function defineOrderNode<P extends OrderParams>(spec: OrderNodeSpec<P>): NodeDefinition<P> {
  const { orderType } = spec;
  return defineNode({
    type: spec.type,
    version: 1,
    category: 'orders',
    title: spec.title,
    description: spec.description,
    inputs: [
      { name: 'signal', kind: 'signal', description: 'The entry or exit signal that places the order.' },
      {
        name: 'size',
        kind: 'sizing',
        optional: true,
        description: "How big an entry is; unconnected uses the run's default sizing. Ignored for exits.",
      },
      {
        name: 'exits',
        kind: 'exit',
        optional: true,
        multiple: true,
        description: 'Stops, targets and time exits attached to an entry. Ignored for exits.',
      },
      {
        name: 'price',
        kind: 'number',
        optional: true,
        description: "Reference price for the order; unconnected uses the bar's close.",
      },
    ],
    outputs: [
      {
        name: 'order',
        kind: 'order',
        description: 'The order to place on bars where the signal fires and its sizing and exits are ready.',
      },
    ],
    params: spec.params,
    warmup: () => 0,
    create: (params, ctx) => {
      const offsetPercent = params.offsetPercent ?? 0;
      const expireAfterBars = params.expireAfterBars ?? 0;
      // Without wiring information a null optional input reads as unconnected (the run's defaults apply).
      const sizeConnected = ctx.connected?.has('size') ?? false;
      const priceConnected = ctx.connected?.has('price') ?? false;
      return statelessEvaluator((inputs, out) => {
        out[0] = null;
        const signal = inputs[0] as Signal | null;
        if (signal === null) return;

        const price = inputs[3] ?? null;
        const referencePrice = isUsablePrice(price) ? price : null;
        // An order priced off a series that has no value yet would silently fall back to the close.
        if (priceConnected && referencePrice === null) return;

        let sizing: Sizing | null = null;
        let exits: readonly Exit[] = NO_EXITS;
        if (isEntry(signal)) {
          sizing = (inputs[1] ?? null) as Sizing | null;
          if (sizeConnected && sizing === null) return;
          const ready = readyExits(inputs[2] ?? null);
          if (ready === null) return;
          exits = ready;
        }

        const intent: OrderIntent = {
          kind: 'order',
          action: signal.action,
          orderType,
          offsetPercent,
          referencePrice,
          sizing,
          exits,
          timing: params.timing,
          expireAfterBars,
        };
        out[0] = Object.freeze(intent);
      });
    },
  });
}
