// fixed_size: every entry buys or sells the same quantity of the base asset.
import { defineNode, type Sizing } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../../math/stateless';

const params = z.object({
  quantity: z
    .number()
    .positive()
    .default(1)
    .describe('Quantity of the base asset per entry (e.g. 0.01 BTC).'),
});

export const fixedSizeNode = defineNode({
  type: 'fixed_size',
  version: 1,
  category: 'sizing',
  title: 'Fixed size',
  description: 'Sizes every entry at the same quantity of the asset.',
  inputs: [],
  outputs: [{ name: 'sizing', kind: 'sizing', description: 'The fixed quantity, for an order node.' }],
  params,
  warmup: () => 0,
  // Stateless (its cache is derived): the fast kernel may build it only on bars an order reads it.
  pure: true,
  create: ({ quantity }) => {
    const sizing: Sizing = Object.freeze({ kind: 'fixed', quantity });
    return statelessEvaluator((_inputs, out) => {
      out[0] = sizing;
    });
  },
});
