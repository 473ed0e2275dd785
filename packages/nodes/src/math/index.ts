// The math (arithmetic) and logic (boolean) nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { absNode } from './abs/abs.node';
import { addNode } from './add/add.node';
import { andNode } from './and/and.node';
import { compareNode } from './compare/compare.node';
import { crossesAboveNode } from './crosses-above/crosses-above.node';
import { crossesBelowNode } from './crosses-below/crosses-below.node';
import { divideNode } from './divide/divide.node';
import { fallingNode } from './falling/falling.node';
import { maxNode } from './max/max.node';
import { minNode } from './min/min.node';
import { multiplyNode } from './multiply/multiply.node';
import { notNode } from './not/not.node';
import { orNode } from './or/or.node';
import { risingNode } from './rising/rising.node';
import { subtractNode } from './subtract/subtract.node';

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
