// Multiplies two series, bar by bar (e.g. ATR × a multiple for a band).
import { defineBinaryMathNode } from '../binary-math';

export const multiplyNode = defineBinaryMathNode({
  type: 'multiply',
  title: 'Multiply',
  description: 'Multiplies two values on every bar: a × b.',
  aDescription: 'First factor.',
  bDescription: 'Second factor.',
  outputDescription: 'a × b.',
  compute: (a, b) => a * b,
  inline: (a, b) => `${a} * ${b}`,
});
