// The orders nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';

export const ordersNodes: readonly AnyNodeDefinition[] = [];
