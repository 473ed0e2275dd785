// A fixed number for the whole run (a threshold, a level), usable wherever a number series is expected.
import { defineNode, type Evaluator, NO_STATE } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessInline } from '../../inline/inline-code';

export const constantNode = defineNode({
  type: 'constant',
  version: 1,
  category: 'data',
  title: 'Constant',
  description: 'A fixed number, e.g. an RSI level of 30.',
  inputs: [],
  outputs: [{ name: 'value', kind: 'scalar', description: 'The number' }],
  params: z.object({ value: z.number().default(0).meta({ step: 1, description: 'The number' }) }),
  warmup: () => 0,
  create(p): Evaluator {
    return {
      update(_inputs, out) {
        out[0] = p.value;
      },
      snapshot: () => NO_STATE,
      restore: () => {},
    };
  },
  inline: statelessInline<{ value: number }>((c) => c.write(0, c.constant(0)), {
    constants: (p) => [p.value],
  }),
});
