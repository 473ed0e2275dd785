// Rolling population standard deviation of the last `period` values.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { RollingMoments } from '../internal/rolling-moments';

export const stddevNode = defineNode({
  type: 'stddev',
  version: 1,
  category: 'indicators',
  title: 'Standard Deviation',
  description: 'Population standard deviation of the last N values.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'Standard deviation, in the units of the source' }],
  params: z.object({ period: periodParam(20, 'Bars in the window', 2) }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const window = new RollingMoments(p.period);
    return {
      update(inputs, out) {
        window.push(inputs[0] as number);
        out[0] = window.full ? Math.sqrt(window.variance) : null;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'stddev'),
    };
  },
});
