// percent_equity: every entry commits a fixed share of the account's equity at the time of the order.
import { defineNode, type Sizing } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../../math/stateless';

const params = z.object({
  // Capped at 100: leverage belongs to the account settings, not to the sizing node, so a
  // perpetual-futures run uses the account's leverage rather than a percent above 100.
  percent: z
    .number()
    .gt(0)
    .max(100)
    .default(10)
    .meta({ step: 1 })
    .describe('Percent of equity per entry (more than 0, at most 100).'),
});

export const percentEquityNode = defineNode({
  type: 'percent_equity',
  version: 1,
  category: 'sizing',
  title: 'Percent of equity',
  description: 'Sizes every entry at a percent of the account equity.',
  inputs: [],
  outputs: [{ name: 'sizing', kind: 'sizing', description: 'The percent of equity, for an order node.' }],
  params,
  warmup: () => 0,
  // Stateless (its cache is derived): the fast kernel may build it only on bars an order reads it.
  pure: true,
  create: ({ percent }) => {
    const sizing: Sizing = Object.freeze({ kind: 'percent_equity', percent });
    return statelessEvaluator((_inputs, out) => {
      out[0] = sizing;
    });
  },
});
