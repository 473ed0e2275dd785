// Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first `period` values.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import {
  SMOOTHER_CELLS,
  smootherConstants,
  smootherPush,
  smootherRefs,
  smootherRestore,
  smootherSnapshot,
} from '../../inline/inline-code';
import { Smoother } from '../internal/smoothing';

export const emaNode = defineNode({
  type: 'ema',
  version: 1,
  category: 'indicators',
  title: 'EMA',
  description: 'Exponential moving average: recent values weigh more.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'The average' }],
  params: z.object({ period: periodParam(20, 'Bars in the average') }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const ema = new Smoother(p.period, 'ema');
    return {
      update(inputs, out) {
        ema.push(inputs[0] as number);
        out[0] = ema.ready ? ema.value : null;
      },
      snapshot: () => ema.snapshot(),
      restore: (state) => ema.restore(state, 'ema'),
    };
  },
  inline: {
    state: () => ({ scalars: SMOOTHER_CELLS }),
    constants: (p) => smootherConstants(p.period, 'ema'),
    update(c) {
      const s = smootherRefs(c, 0, 0);
      const x = c.temp(0);
      return (
        `const ${x} = ${c.input(0)}; ${smootherPush(s, x)} ` +
        `if (${s.seen} >= ${s.period}) ${c.write(0, s.current)} else ${c.writeNull(0)}`
      );
    },
    snapshot: (state) => smootherSnapshot(state, 0),
    restore: (snapshot, state) => smootherRestore(snapshot, state, 0, 'ema'),
  },
});
