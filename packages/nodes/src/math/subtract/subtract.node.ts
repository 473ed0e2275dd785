// Subtracts one series from another, bar by bar (e.g. the spread between two moving averages).
import { defineBinaryMathNode } from '../binary-math';

export const subtractNode = defineBinaryMathNode({
  type: 'subtract',
  title: 'Subtract',
  description: 'Subtracts b from a on every bar: a − b.',
  aDescription: 'The value to subtract from.',
  bDescription: 'The value subtracted.',
  outputDescription: 'a − b.',
  compute: (a, b) => a - b,
  inline: (a, b) => `${a} - ${b}`,
});
