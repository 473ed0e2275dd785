// Simple moving average: the mean of the last `period` values.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { RollingMoments } from '../internal/rolling-moments';

export const smaNode = defineNode({
  type: 'sma',
  version: 1,
  category: 'indicators',
  title: 'SMA',
  description: 'Simple moving average: the mean of the last N values.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'The average' }],
  params: z.object({ period: periodParam(20, 'Bars in the average') }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const window = new RollingMoments(p.period);
    return {
      update(inputs, out) {
        window.push(inputs[0] as number);
        out[0] = window.full ? window.average : null;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'sma'),
    };
  },
});
