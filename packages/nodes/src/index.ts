// The node catalog: every node type Candleflow ships, by category.
import { type AnyNodeDefinition, createCatalog, type NodeCatalog } from '@candleflow/strategy-dsl';
import { dataNodes } from './data/index';
import { indicatorsNodes } from './indicators/index';
import { mathNodes } from './math/index';
import { ordersNodes } from './orders/index';
import { signalsNodes } from './signals/index';
import { sizingNodes } from './sizing/index';

export const allNodeDefinitions: readonly AnyNodeDefinition[] = [
  ...dataNodes,
  ...indicatorsNodes,
  ...mathNodes,
  ...signalsNodes,
  ...sizingNodes,
  ...ordersNodes,
];

/** The catalog the compiler and the studio are given. */
export const catalog: NodeCatalog = createCatalog(allNodeDefinitions);
