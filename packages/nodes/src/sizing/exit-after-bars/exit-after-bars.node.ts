// exit_after_bars: closes the position after it has been open a set number of bars (time stop).
import { defineNode, type Exit } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../../math/stateless';

const params = z.object({
  bars: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .meta({ step: 1 })
    .describe('Bars the position stays open before it is closed.'),
});

export const exitAfterBarsNode = defineNode({
  type: 'exit_after_bars',
  version: 1,
  category: 'exits',
  title: 'Exit after bars',
  description: 'Closes the position after it has been open for a number of bars.',
  inputs: [],
  outputs: [{ name: 'exit', kind: 'exit', description: 'The time exit to attach to an order node.' }],
  params,
  warmup: () => 0,
  // Stateless (its cache is derived): the fast kernel may build it only on bars an order reads it.
  pure: true,
  create: ({ bars }) => {
    const exit: Exit = Object.freeze({ kind: 'time_exit', bars });
    return statelessEvaluator((_inputs, out) => {
      out[0] = exit;
    });
  },
});
