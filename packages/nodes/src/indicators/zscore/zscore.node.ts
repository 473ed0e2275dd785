// Z-score: how many population standard deviations the value is from the mean of the last `period` values.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { RollingMoments } from '../internal/rolling-moments';

export const zscoreNode = defineNode({
  type: 'zscore',
  version: 1,
  category: 'indicators',
  title: 'Z-Score',
  description: 'Distance of the value from its rolling mean, in standard deviations.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'Z-score (0 when the window is flat)' }],
  params: z.object({ period: periodParam(20, 'Bars in the mean and deviation', 2) }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const window = new RollingMoments(p.period);
    return {
      update(inputs, out) {
        const x = inputs[0] as number;
        window.push(x);
        if (!window.full) {
          out[0] = null;
          return;
        }
        const sd = Math.sqrt(window.variance);
        // A flat window has no spread to measure against; 0 says "at the mean" instead of dividing by zero.
        out[0] = sd === 0 ? 0 : (x - window.average) / sd;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'zscore'),
    };
  },
});
