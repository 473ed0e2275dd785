// The data nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { candlesNode } from './candles/candles.node';
import { constantNode } from './constant/constant.node';
import { previousNode } from './previous/previous.node';
import { resampleNode } from './resample/resample.node';

export { candlesNode, constantNode, previousNode, resampleNode };

export const dataNodes: readonly AnyNodeDefinition[] = [
  candlesNode,
  resampleNode,
  previousNode,
  constantNode,
];
