// or: either condition holds on this bar (e.g. exit on a cross or on an overbought RSI).
import { defineBooleanLogicNode } from '../boolean-logic';

export const orNode = defineBooleanLogicNode({
  type: 'or',
  title: 'Or',
  description: 'True on bars where a or b (or both) is true.',
  outputDescription: 'a or b.',
  combine: (a, b) => a || b,
  operator: '||',
});
