// The order nodes of the catalog: where signals, sizing and exits become order intents.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { limitOrderNode } from './limit-order/limit-order.node';
import { marketOrderNode } from './market-order/market-order.node';
import { stopOrderNode } from './stop-order/stop-order.node';

export const ordersNodes: readonly AnyNodeDefinition[] = [marketOrderNode, limitOrderNode, stopOrderNode];
