// The smaller of two series, bar by bar (e.g. the lower of two stop levels).
import { defineBinaryMathNode } from '../binary-math';

export const minNode = defineBinaryMathNode({
  type: 'min',
  title: 'Minimum',
  description: 'The smaller of two values on every bar.',
  aDescription: 'First value.',
  bDescription: 'Second value.',
  outputDescription: 'The smaller of a and b.',
  compute: (a, b) => Math.min(a, b),
  inline: (a, b) => `Math.min(${a}, ${b})`,
});
