// The data nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';

export const dataNodes: readonly AnyNodeDefinition[] = [];
