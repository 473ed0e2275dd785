// not: inverts a condition (e.g. "not in a downtrend").
import { defineNode } from '@candleflow/strategy-dsl';
import { noParams } from '../binary-math';
import { statelessInline } from '../../inline/inline-code';
import { statelessEvaluator } from '../stateless';

export const notNode = defineNode({
  type: 'not',
  version: 1,
  category: 'logic',
  title: 'Not',
  description: 'True on bars where the source is false, and the other way round.',
  inputs: [{ name: 'source', kind: 'boolean', description: 'The condition to invert.' }],
  outputs: [{ name: 'value', kind: 'boolean', description: 'not source.' }],
  params: noParams,
  warmup: () => 0,
  create: () =>
    statelessEvaluator((inputs, out) => {
      out[0] = !(inputs[0] as boolean);
    }),
  inline: statelessInline((c) => c.write(0, `!${c.input(0)}`)),
});
