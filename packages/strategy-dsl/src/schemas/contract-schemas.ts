// Runtime schemas of the values that flow between packages (bars, signals, sizing, exits, order intents).
// The TypeScript interfaces in ../contract stay the source of truth; the checks at the bottom of this file
// fail the build if a schema and its interface drift apart.
import { z } from 'zod';
import type {
  Bar,
  Exit,
  OrderIntent,
  OrderTiming,
  OrderType,
  Signal,
  SignalAction,
  Sizing,
} from '../contract';
import type { DeepReadonly, Equal } from './type-equality';

const utcMs = (what: string) => z.number().int().describe(`${what}, UTC milliseconds`);
const price = (what: string) => z.number().positive().describe(what);

export const BarSchema = z
  .strictObject({
    time: utcMs('Open time of the bar'),
    open: price('First traded price'),
    high: price('Highest traded price'),
    low: price('Lowest traded price'),
    close: price('Last traded price'),
    volume: z.number().min(0).describe('Traded volume, in the base currency'),
  })
  // JSON Schema cannot compare two fields, so this rule lives only here (the description says so).
  .refine((bar) => bar.high >= Math.max(bar.open, bar.close, bar.low), {
    path: ['high'],
    message: 'high must be at least open, close and low',
  })
  .refine((bar) => bar.low <= Math.min(bar.open, bar.close, bar.high), {
    path: ['low'],
    message: 'low must be at most open, close and high',
  })
  .meta({
    title: 'Bar',
    description:
      'A candle. Its values are final once it has closed. Prices are positive; low <= open, close <= high (that last rule is checked by the runtime schema, JSON Schema cannot express it).',
  });

export const SignalActionSchema = z
  .enum(['enter_long', 'enter_short', 'exit_long', 'exit_short'])
  .describe('What the signal asks for');

export const SignalSchema = z
  .strictObject({
    kind: z.literal('signal'),
    action: SignalActionSchema,
  })
  .meta({ title: 'Signal', description: 'Emitted by a signal node on the bars where its condition holds.' });

// OpenAPI's discriminator keyword: validators that know it (Ajv with `discriminator: true`, OpenAPI tools)
// pick the variant by `kind` and report the errors of that variant only; others ignore it.
const BY_KIND = { type: 'object', discriminator: { propertyName: 'kind' } };

const percentOfEquity = (what: string) => z.number().positive().describe(`${what}, percent of equity`);

export const SizingSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('fixed'),
      quantity: z.number().positive().describe('Units of the base asset'),
    }),
    z.strictObject({
      kind: z.literal('percent_equity'),
      percent: percentOfEquity('Notional of the entry'),
    }),
    z
      .strictObject({
        kind: z.literal('risk'),
        riskPercent: percentOfEquity('Loss if the price moves stopDistance against the position'),
        stopDistance: z.number().positive().describe('Absolute price distance to the stop'),
      })
      .describe('Risk riskPercent of equity if the price moves stopDistance against the position.'),
    z
      .strictObject({
        kind: z.literal('kelly'),
        maxFraction: z.number().positive().max(1).describe('Cap on the Kelly fraction of equity'),
        window: z
          .number()
          .int()
          .min(0)
          .describe('Latest closed trades the fraction is estimated from (0 = all)'),
        minTrades: z.number().int().min(0).describe('Closed trades needed before the Kelly fraction is used'),
        fallbackPercent: percentOfEquity('Entry size until minTrades trades have closed'),
      })
      .describe("Kelly fraction of the strategy's own closed trades, capped."),
  ])
  .meta({
    title: 'Sizing',
    description: 'How big an entry should be; the engine resolves it to a quantity.',
    ...BY_KIND,
  });

const distanceFields = {
  percent: z.number().positive().optional().describe('Distance from the entry price, percent of it'),
  distance: z.number().positive().optional().describe('Distance from the entry price, in price units'),
};
// An exit with neither distance would sit at the entry price. The same rule is written twice, once for
// zod (refine) and once for JSON Schema (meta is copied into the exported schema).
const needsDistance = {
  anyOf: [{ required: ['percent'] }, { required: ['distance'] }],
};
const hasDistance = (exit: { percent?: number; distance?: number }) =>
  exit.percent !== undefined || exit.distance !== undefined;
const distanceExit = <K extends 'stop_loss' | 'take_profit' | 'trailing_stop'>(kind: K) =>
  z
    .strictObject({ kind: z.literal(kind), ...distanceFields })
    .refine(hasDistance, { message: `a ${kind} exit needs percent or distance`, path: ['percent'] })
    .meta(needsDistance);

export const ExitSchema = z
  .discriminatedUnion('kind', [
    distanceExit('stop_loss'),
    distanceExit('take_profit'),
    distanceExit('trailing_stop'),
    z.strictObject({
      kind: z.literal('time_exit'),
      bars: z.number().int().min(1).describe('Bars the position stays open before it is closed'),
    }),
  ])
  .meta({
    ...BY_KIND,
    title: 'Exit',
    description:
      'An exit attached to an entry: a distance as a percent of the entry price or in price units, or a number of bars.',
  });

export const OrderTypeSchema = z.enum(['market', 'limit', 'stop']);

export const OrderTimingSchema = z
  .enum(['run_default', 'this_bar_open'])
  .describe("When the order may fill: the run's fill setting (next open or this close), or this bar's open");

export const OrderIntentSchema = z
  .strictObject({
    kind: z.literal('order'),
    action: SignalActionSchema,
    orderType: OrderTypeSchema,
    offsetPercent: z
      .number()
      .min(0)
      .describe('Limit: percent below (buy) / above (sell) the reference price. Stop: percent beyond it'),
    referencePrice: price('The price the offset applies to').nullable().describe('null means the bar close'),
    sizing: SizingSchema.nullable().describe("null means the run's default sizing"),
    exits: z.array(ExitSchema),
    timing: OrderTimingSchema,
    expireAfterBars: z
      .number()
      .int()
      .min(0)
      .describe('Bars a limit or stop order keeps working before it expires (0 = good till cancelled)'),
  })
  .meta({
    title: 'OrderIntent',
    description: 'What an order node emits on a bar where its signal fired; the engine turns it into orders.',
  });

// Drift checks: each line fails to compile if the schema and the interface differ in any field.
const _bar: Equal<DeepReadonly<z.infer<typeof BarSchema>>, Bar> = true;
const _action: Equal<z.infer<typeof SignalActionSchema>, SignalAction> = true;
const _signal: Equal<DeepReadonly<z.infer<typeof SignalSchema>>, Signal> = true;
const _sizing: Equal<DeepReadonly<z.infer<typeof SizingSchema>>, Sizing> = true;
const _exit: Equal<DeepReadonly<z.infer<typeof ExitSchema>>, Exit> = true;
const _orderType: Equal<z.infer<typeof OrderTypeSchema>, OrderType> = true;
const _timing: Equal<z.infer<typeof OrderTimingSchema>, OrderTiming> = true;
const _intent: Equal<DeepReadonly<z.infer<typeof OrderIntentSchema>>, OrderIntent> = true;
void [_bar, _action, _signal, _sizing, _exit, _orderType, _timing, _intent];
