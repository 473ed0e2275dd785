// The math (arithmetic) and logic (boolean) nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { absNode } from './abs/abs.node.ts';
import { addNode } from './add/add.node.ts';
import { andNode } from './and/and.node.ts';
import { compareNode } from './compare/compare.node.ts';
import { crossesAboveNode } from './crosses-above/crosses-above.node.ts';
import { crossesBelowNode } from './crosses-below/crosses-below.node.ts';
import { divideNode } from './divide/divide.node.ts';
import { fallingNode } from './falling/falling.node.ts';
import { maxNode } from './max/max.node.ts';
import { minNode } from './min/min.node.ts';
import { multiplyNode } from './multiply/multiply.node.ts';
import { notNode } from './not/not.node.ts';
import { orNode } from './or/or.node.ts';
import { risingNode } from './rising/rising.node.ts';
import { subtractNode } from './subtract/subtract.node.ts';

export const mathNodes: readonly AnyNodeDefinition[] = [
  addNode,
  subtractNode,
  multiplyNode,
  divideNode,
  absNode,
  minNode,
  maxNode,
  compareNode,
  crossesAboveNode,
  crossesBelowNode,
  andNode,
  orNode,
  notNode,
  risingNode,
  fallingNode,
];
