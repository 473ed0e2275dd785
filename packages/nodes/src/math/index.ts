// The math nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';

export const mathNodes: readonly AnyNodeDefinition[] = [];
