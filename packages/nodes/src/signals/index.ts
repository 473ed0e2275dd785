// The signal nodes of the catalog: turn a condition into an entry or exit signal.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { enterLongNode } from './enter-long/enter-long.node.ts';
import { enterShortNode } from './enter-short/enter-short.node.ts';
import { exitLongNode } from './exit-long/exit-long.node.ts';
import { exitShortNode } from './exit-short/exit-short.node.ts';

export const signalsNodes: readonly AnyNodeDefinition[] = [
  enterLongNode,
  enterShortNode,
  exitLongNode,
  exitShortNode,
];
