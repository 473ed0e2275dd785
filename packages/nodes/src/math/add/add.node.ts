// Adds two series (or a series and a constant), bar by bar.
import { defineBinaryMathNode } from '../binary-math';

export const addNode = defineBinaryMathNode({
  type: 'add',
  title: 'Add',
  description: 'Adds two values on every bar: a + b.',
  aDescription: 'First addend.',
  bDescription: 'Second addend.',
  outputDescription: 'a + b.',
  compute: (a, b) => a + b,
  inline: (a, b) => `${a} + ${b}`,
});
