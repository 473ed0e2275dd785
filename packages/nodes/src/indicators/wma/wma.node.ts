// Linearly weighted moving average: weights 1..period, the newest value weighs most.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { RingBuffer } from '../internal/ring-buffer';
import { readNested, readNumber, readRecord } from '../internal/state';

export const wmaNode = defineNode({
  type: 'wma',
  version: 1,
  category: 'indicators',
  title: 'WMA',
  description: 'Weighted moving average: weights fall linearly with age.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'The average' }],
  params: z.object({ period: periodParam(20, 'Bars in the average') }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const n = p.period;
    const divisor = (n * (n + 1)) / 2;
    const window = new RingBuffer(n);
    let sum = 0;
    let weighted = 0;
    let slides = 0;
    return {
      update(inputs, out) {
        const x = inputs[0] as number;
        if (!window.full) {
          window.push(x);
          sum += x;
          weighted += window.length * x;
        } else {
          // Sliding one bar lowers every weight by one (minus the old sum) and adds x at weight n.
          weighted += n * x - sum;
          sum += x - window.push(x);
          // Exact recomputation once per window bounds the rounding drift of the running sums.
          if (++slides >= n) {
            slides = 0;
            sum = 0;
            weighted = 0;
            for (let i = 0; i < n; i++) {
              const v = window.get(i);
              sum += v;
              weighted += (i + 1) * v;
            }
          }
        }
        out[0] = window.full ? weighted / divisor : null;
      },
      snapshot: () => ({ window: window.snapshot(), sum, weighted, slides }),
      restore(state) {
        const s = readRecord(state, 'wma');
        window.restore(readNested(s, 'window', 'wma'), 'wma');
        sum = readNumber(s, 'sum', 'wma');
        weighted = readNumber(s, 'weighted', 'wma');
        slides = readNumber(s, 'slides', 'wma');
      },
    };
  },
});
