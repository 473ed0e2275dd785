// Runtime schemas of the execution core's records (orders, fills, trades), for API validation, JSON Schema
// export and contract tests. The interfaces in ../types stay the source of truth; the checks at the bottom
// fail the build if a schema and its interface drift apart.
import type { DeepReadonly, Equal } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { MAX_CLIENT_ORDER_ID_LENGTH } from '../orders/ids';
import type {
  ClientOrderId,
  EngineOrderType,
  Fill,
  Order,
  OrderPurpose,
  OrderStatus,
  Side,
  Symbol as SymbolId,
  Trade,
} from '../types';

// The ids are soft-branded strings in TypeScript; at run time they are plain strings, so the schemas are
// plain string schemas typed as the branded id (the cast changes only the static type).
const SymbolIdSchema = z
  .string()
  .min(1)
  .describe('Market symbol, e.g. BTC/USDT') as unknown as z.ZodType<SymbolId>;
export const ClientOrderIdSchema = z
  .string()
  .min(1)
  .max(MAX_CLIENT_ORDER_ID_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'a client order id uses only letters, digits, _ and -')
  .describe('Deterministic client order id') as unknown as z.ZodType<ClientOrderId>;

export const SideSchema = z.enum(['buy', 'sell']);
export const EngineOrderTypeSchema = z.enum(['market', 'limit', 'stop']);
export const OrderStatusSchema = z.enum([
  'pending',
  'submitted',
  'accepted',
  'partially_filled',
  'filled',
  'rejected',
  'canceled',
  'expired',
  'denied',
]);
export const OrderPurposeSchema = z
  .enum([
    'entry',
    'exit',
    'stop_loss',
    'take_profit',
    'trailing_stop',
    'time_exit',
    'liquidation',
    'close_at_end',
  ])
  .describe('Why the order exists: entries open or add, the others reduce a position');

const utcMs = (what: string) => z.number().int().describe(`${what}, UTC milliseconds`);
const barIndex = (what: string) => z.number().int().min(0).describe(what);
const quantity = (what: string) => z.number().positive().describe(`${what}, units of the base asset`);
const price = (what: string) => z.number().positive().describe(what);
const quote = (what: string) => z.number().describe(`${what}, in the quote currency`);

// Filled quantities are sums of partial fills; float rounding may put them a hair above the order quantity.
const QUANTITY_TOLERANCE = 1e-9;

export const OrderSchema = z
  .strictObject({
    id: ClientOrderIdSchema,
    symbol: SymbolIdSchema,
    side: SideSchema,
    type: EngineOrderTypeSchema,
    quantity: quantity('Ordered quantity'),
    price: price('Limit price (limit orders) or trigger price (stop orders)')
      .nullable()
      .describe('null for market orders'),
    reduceOnly: z.boolean(),
    purpose: OrderPurposeSchema,
    ocoGroup: z
      .string()
      .nullable()
      .describe('Orders in one OCO group cancel each other when one fills (stop loss + take profit)'),
    status: OrderStatusSchema,
    filledQuantity: z.number().min(0).describe('Filled so far, units of the base asset'),
    averagePrice: z.number().min(0).describe('Average fill price (0 before the first fill)'),
    createdAt: utcMs('When the order was created'),
    expiresAtBar: barIndex('Bar index after which a working order expires')
      .nullable()
      .describe('null = good till cancelled'),
    reason: z
      .string()
      .nullable()
      .describe('Set when the order ends in rejected, canceled, expired or denied'),
  })
  .refine((order) => (order.type === 'market') === (order.price === null), {
    path: ['price'],
    message: 'a market order has no price (null); a limit or stop order needs one',
  })
  .refine((order) => order.filledQuantity <= order.quantity * (1 + QUANTITY_TOLERANCE), {
    path: ['filledQuantity'],
    message: 'filledQuantity cannot exceed the order quantity',
  })
  .meta({
    title: 'Order',
    description:
      'An order of the execution core. A market order has price null, a limit or stop order a price; filledQuantity never exceeds quantity (checked by the runtime schema).',
    // The price rule, for JSON Schema consumers (zod copies metadata into the exported schema).
    anyOf: [
      { properties: { type: { const: 'market' }, price: { type: 'null' } } },
      { properties: { type: { enum: ['limit', 'stop'] }, price: { type: 'number' } } },
    ],
  });

export const FillSchema = z
  .strictObject({
    orderId: ClientOrderIdSchema,
    symbol: SymbolIdSchema,
    side: SideSchema,
    quantity: quantity('Filled quantity'),
    price: price('Fill price after slippage, rounded to the tick size'),
    fee: z.number().min(0).describe('Fee paid, in the quote currency'),
    liquidity: z.enum(['maker', 'taker']),
    time: utcMs('Open time of the bar the fill happened on'),
    barIndex: barIndex('Index of the bar the fill happened on'),
    purpose: OrderPurposeSchema,
  })
  .meta({ title: 'Fill', description: 'One execution of (part of) an order.' });

export const TradeSchema = z
  .strictObject({
    symbol: SymbolIdSchema,
    direction: z.enum(['long', 'short']),
    quantity: quantity('Position size'),
    entryTime: utcMs('Time of the opening fill'),
    exitTime: utcMs('Time of the closing fill'),
    entryBar: barIndex('Bar index of the opening fill'),
    exitBar: barIndex('Bar index of the closing fill'),
    entryPrice: price('Average entry fill price, after slippage'),
    exitPrice: price('Average exit fill price, after slippage'),
    pnl: quote('Net profit: price difference x quantity - fees - funding'),
    returnPct: z.number().describe('Net profit as a percent of the entry notional'),
    fees: z.number().min(0).describe('Fees of both legs, in the quote currency'),
    funding: quote('Funding paid (positive) or received (negative) while the trade was open'),
    exitReason: OrderPurposeSchema,
  })
  .refine((trade) => trade.exitTime >= trade.entryTime, {
    path: ['exitTime'],
    message: 'a trade cannot close before it opened',
  })
  .refine((trade) => trade.exitBar >= trade.entryBar, {
    path: ['exitBar'],
    message: 'a trade cannot close on an earlier bar than it opened',
  })
  .meta({
    title: 'Trade',
    description:
      'A closed round trip, from the fill that opened a position to the fill that closed it. It closes no earlier than it opened (checked by the runtime schema).',
  });

// Drift checks: each line fails to compile if the schema and the type differ in any field.
const _side: Equal<z.infer<typeof SideSchema>, Side> = true;
const _type: Equal<z.infer<typeof EngineOrderTypeSchema>, EngineOrderType> = true;
const _status: Equal<z.infer<typeof OrderStatusSchema>, OrderStatus> = true;
const _purpose: Equal<z.infer<typeof OrderPurposeSchema>, OrderPurpose> = true;
const _order: Equal<DeepReadonly<z.infer<typeof OrderSchema>>, Order> = true;
const _fill: Equal<DeepReadonly<z.infer<typeof FillSchema>>, Fill> = true;
const _trade: Equal<DeepReadonly<z.infer<typeof TradeSchema>>, Trade> = true;
void [_side, _type, _status, _purpose, _order, _fill, _trade];
