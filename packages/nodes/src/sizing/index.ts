// The sizing nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';

export const sizingNodes: readonly AnyNodeDefinition[] = [];
