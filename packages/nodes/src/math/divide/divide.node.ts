// Divides one series by another, bar by bar; a ratio over zero has no value, so it is null.
import { defineBinaryMathNode } from '../binary-math';

export const divideNode = defineBinaryMathNode({
  type: 'divide',
  title: 'Divide',
  description: 'Divides a by b on every bar: a ÷ b (no value when b is 0).',
  aDescription: 'The dividend.',
  bDescription: 'The divisor; on bars where it is 0 the output is empty.',
  outputDescription: 'a ÷ b, or nothing when b is 0.',
  compute: (a, b) => (b === 0 ? null : a / b),
  inline: (a, b) => `${b} === 0 ? NaN : ${a} / ${b}`,
});
