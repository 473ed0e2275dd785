// The absolute value of a series (e.g. the size of a move regardless of its direction).
import { defineNode } from '@candleflow/strategy-dsl';
import { noParams } from '../binary-math';
import { statelessInline } from '../../inline/inline-code';
import { statelessEvaluator } from '../stateless';

export const absNode = defineNode({
  type: 'abs',
  version: 1,
  category: 'math',
  title: 'Absolute value',
  description: 'The value without its sign on every bar: |source|.',
  inputs: [{ name: 'source', kind: 'number', description: 'The value to take the absolute value of.' }],
  outputs: [{ name: 'value', kind: 'number', description: '|source|.' }],
  params: noParams,
  warmup: () => 0,
  create: () =>
    statelessEvaluator((inputs, out) => {
      out[0] = Math.abs(inputs[0] as number);
    }),
  inline: statelessInline((c) => c.write(0, `Math.abs(${c.input(0)})`)),
});
