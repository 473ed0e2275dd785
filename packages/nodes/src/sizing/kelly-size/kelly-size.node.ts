// kelly_size: sizes from the strategy's own closed trades (Kelly fraction, capped); the engine computes it.
import { defineNode, type Sizing } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../../math/stateless';

const params = z.object({
  maxFraction: z
    .number()
    .gt(0)
    .max(1)
    .default(0.25)
    .meta({ step: 0.05 })
    .describe('Cap on the Kelly fraction of equity (0.25 = quarter of equity at most).'),
  window: z
    .number()
    .int()
    .min(5)
    .max(1000)
    .default(50)
    .meta({ step: 5 })
    .describe('How many of the latest closed trades the fraction is estimated from.'),
  minTrades: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe('Closed trades needed before the Kelly fraction is used.'),
  fallbackPercent: z
    .number()
    .gt(0)
    .max(100)
    .default(1)
    .describe('Percent of equity per entry until minTrades trades have closed.'),
});

export const kellySizeNode = defineNode({
  type: 'kelly_size',
  version: 1,
  category: 'sizing',
  title: 'Kelly size',
  description: "Sizes entries by the Kelly fraction of the strategy's own recent trades, capped.",
  inputs: [],
  outputs: [{ name: 'sizing', kind: 'sizing', description: 'Kelly sizing settings, for an order node.' }],
  params,
  warmup: () => 0,
  // Stateless (its cache is derived): the fast kernel may build it only on bars an order reads it.
  pure: true,
  check: ({ window, minTrades }) =>
    minTrades > window
      ? [
          {
            code: 'INVALID_PARAM',
            param: 'minTrades',
            message: `Kelly sizing needs ${minTrades} closed trades but only looks at the last ${window}, so it would never leave the fallback size.`,
            hint: `Set minTrades to at most ${window}, or raise window.`,
          },
        ]
      : [],
  create: ({ maxFraction, window, minTrades, fallbackPercent }) => {
    const sizing: Sizing = Object.freeze({ kind: 'kelly', maxFraction, window, minTrades, fallbackPercent });
    return statelessEvaluator((_inputs, out) => {
      out[0] = sizing;
    });
  },
});
