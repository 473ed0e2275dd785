// Compares two series bar by bar and outputs true or false, the usual entry into the logic nodes.
import { defineNode } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessInline } from '../../inline/inline-code';
import { statelessEvaluator } from '../stateless';

const COMPARISONS = {
  '>': (a: number, b: number) => a > b,
  '<': (a: number, b: number) => a < b,
  '>=': (a: number, b: number) => a >= b,
  '<=': (a: number, b: number) => a <= b,
} as const;

/** The operator of each comparison in generated code; a fixed table, so no parameter text reaches the code. */
const OPERATORS = { '>': '>', '<': '<', '>=': '>=', '<=': '<=' } as const;

const params = z.object({
  op: z.enum(['>', '<', '>=', '<=']).default('>').describe('How a is compared with b.'),
});

export const compareNode = defineNode({
  type: 'compare',
  version: 1,
  category: 'logic',
  title: 'Compare',
  description: 'True on bars where a > b (or <, >=, <=).',
  inputs: [
    { name: 'a', kind: 'number', description: 'Left side of the comparison.' },
    { name: 'b', kind: 'number', description: 'Right side of the comparison.' },
  ],
  outputs: [{ name: 'value', kind: 'boolean', description: 'Whether "a op b" holds on this bar.' }],
  params,
  warmup: () => 0,
  create: ({ op }) => {
    const holds = COMPARISONS[op];
    return statelessEvaluator((inputs, out) => {
      out[0] = holds(inputs[0] as number, inputs[1] as number);
    });
  },
  inline: statelessInline<z.infer<typeof params>>((c) =>
    c.write(0, `${c.input(0)} ${OPERATORS[c.params.op]} ${c.input(1)}`),
  ),
});
