// The indicators nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';

export const indicatorsNodes: readonly AnyNodeDefinition[] = [];
