// The highest and lowest nodes differ only in the direction of the comparison; one factory builds both.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from './params';
import { RollingExtreme } from './rolling-extreme';

export function extremeNode(kind: 'max' | 'min') {
  const type = kind === 'max' ? 'highest' : 'lowest';
  return defineNode({
    type,
    version: 1,
    category: 'indicators',
    title: kind === 'max' ? 'Highest' : 'Lowest',
    description: `The ${kind === 'max' ? 'largest' : 'smallest'} value of the last N bars (this bar included).`,
    inputs: [SOURCE_INPUT],
    outputs: [{ name: 'value', kind: 'number', description: `The ${type} value in the window` }],
    params: z.object({ period: periodParam(20, 'Bars in the window') }),
    warmup: (p) => p.period - 1,
    create(p): Evaluator {
      const extreme = new RollingExtreme(p.period, kind);
      return {
        update(inputs, out) {
          extreme.push(inputs[0] as number);
          out[0] = extreme.full ? extreme.value : null;
        },
        snapshot: () => extreme.snapshot(),
        restore: (state) => extreme.restore(state, type),
      };
    },
  });
}
