// Rate of change in percent: how much the value moved against `period` bars ago.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { RingBuffer } from '../internal/ring-buffer';

export const rocNode = defineNode({
  type: 'roc',
  version: 1,
  category: 'indicators',
  title: 'Rate of Change',
  description: 'Percent change against the value N bars ago.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'Change in percent (5 = +5 %)' }],
  params: z.object({ period: periodParam(10, 'Bars to look back') }),
  warmup: (p) => p.period,
  create(p): Evaluator {
    // The window holds this value and the `period` before it.
    const window = new RingBuffer(p.period + 1);
    return {
      update(inputs, out) {
        const x = inputs[0] as number;
        window.push(x);
        if (!window.full) {
          out[0] = null;
          return;
        }
        const past = window.get(0);
        out[0] = ((x - past) / past) * 100;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'roc'),
    };
  },
});
