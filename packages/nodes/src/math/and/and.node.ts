// and: both conditions hold on this bar (e.g. a cross confirmed by a trend filter).
import { defineBooleanLogicNode } from '../boolean-logic';

export const andNode = defineBooleanLogicNode({
  type: 'and',
  title: 'And',
  description: 'True on bars where both a and b are true.',
  outputDescription: 'a and b.',
  combine: (a, b) => a && b,
  operator: '&&',
});
