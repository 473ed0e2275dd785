// The order nodes of the catalog: where signals, sizing and exits become order intents.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { limitOrderNode } from './limit-order/limit-order.node.ts';
import { marketOrderNode } from './market-order/market-order.node.ts';
import { stopOrderNode } from './stop-order/stop-order.node.ts';

export const ordersNodes: readonly AnyNodeDefinition[] = [marketOrderNode, limitOrderNode, stopOrderNode];
