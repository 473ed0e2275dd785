// Average true range (Wilder): how far price typically moves per bar, gaps included.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { AverageTrueRange } from '../internal/atr';
import { CANDLES_INPUT, periodParam } from '../internal/params';

export const atrNode = defineNode({
  type: 'atr',
  version: 1,
  category: 'indicators',
  title: 'ATR',
  description: 'Average true range: the typical size of a bar, including gaps (Wilder smoothing).',
  inputs: [CANDLES_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'ATR in price units' }],
  params: z.object({ period: periodParam(14, 'True ranges averaged (Wilder smoothing)', 1, 500) }),
  // The first bar has no previous close, so its true range is not counted.
  warmup: (p) => p.period,
  create(p): Evaluator {
    const atr = new AverageTrueRange(p.period);
    return {
      update(inputs, out) {
        atr.push(inputs[0] as Bar);
        out[0] = atr.ready ? atr.value : null;
      },
      snapshot: () => atr.snapshot(),
      restore: (state) => atr.restore(state, 'atr'),
    };
  },
});
