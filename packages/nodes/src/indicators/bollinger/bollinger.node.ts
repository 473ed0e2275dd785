// Bollinger bands: the SMA of the last `period` values ± stdDev population standard deviations.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { multiplierParam, periodParam, SOURCE_INPUT } from '../internal/params';
import { RollingMoments } from '../internal/rolling-moments';

export const bollingerNode = defineNode({
  type: 'bollinger',
  version: 1,
  category: 'indicators',
  title: 'Bollinger Bands',
  description: 'Moving average with bands a number of standard deviations above and below.',
  inputs: [SOURCE_INPUT],
  outputs: [
    { name: 'upper', kind: 'number', description: 'Middle plus stdDev deviations' },
    { name: 'middle', kind: 'number', description: 'Simple moving average' },
    { name: 'lower', kind: 'number', description: 'Middle minus stdDev deviations' },
  ],
  params: z.object({
    period: periodParam(20, 'Bars in the average and the deviation', 2),
    stdDev: multiplierParam(2, 'Width of the bands in standard deviations'),
  }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const window = new RollingMoments(p.period);
    return {
      update(inputs, out) {
        window.push(inputs[0] as number);
        if (!window.full) {
          out[0] = null;
          out[1] = null;
          out[2] = null;
          return;
        }
        const middle = window.average;
        const width = p.stdDev * Math.sqrt(window.variance);
        out[0] = middle + width;
        out[1] = middle;
        out[2] = middle - width;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'bollinger'),
    };
  },
});
