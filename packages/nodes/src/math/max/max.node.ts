// The larger of two series, bar by bar (e.g. the higher of two stop levels).
import { defineBinaryMathNode } from '../binary-math';

export const maxNode = defineBinaryMathNode({
  type: 'max',
  title: 'Maximum',
  description: 'The larger of two values on every bar.',
  aDescription: 'First value.',
  bDescription: 'Second value.',
  outputDescription: 'The larger of a and b.',
  compute: (a, b) => Math.max(a, b),
  inline: (a, b) => `Math.max(${a}, ${b})`,
});
