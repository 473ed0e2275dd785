// The data nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { candlesNode } from './candles/candles.node.ts';
import { constantNode } from './constant/constant.node.ts';
import { previousNode } from './previous/previous.node.ts';
import { resampleNode } from './resample/resample.node.ts';

export { candlesNode, constantNode, previousNode, resampleNode };

export const dataNodes: readonly AnyNodeDefinition[] = [
  candlesNode,
  resampleNode,
  previousNode,
  constantNode,
];
