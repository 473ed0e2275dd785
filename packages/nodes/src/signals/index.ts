// The signals nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';

export const signalsNodes: readonly AnyNodeDefinition[] = [];
