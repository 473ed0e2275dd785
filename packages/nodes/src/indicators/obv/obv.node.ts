// On-balance volume: a running total adding the volume of up-closes and subtracting that of down-closes.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { CANDLES_INPUT } from '../internal/params';
import { readNumber, readRecord, storeNumber } from '../internal/state';

export const obvNode = defineNode({
  type: 'obv',
  version: 1,
  category: 'indicators',
  title: 'OBV',
  description: 'On-balance volume: cumulative volume signed by the direction of the close.',
  inputs: [CANDLES_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'OBV, starting at 0 on the first bar' }],
  params: z.object({}),
  warmup: () => 0,
  create(): Evaluator {
    let previousClose = Number.NaN;
    let total = 0;
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        if (bar.close > previousClose) total += bar.volume;
        else if (bar.close < previousClose) total -= bar.volume;
        previousClose = bar.close;
        out[0] = total;
      },
      snapshot: () => ({ previousClose: storeNumber(previousClose), total }),
      restore(state) {
        const s = readRecord(state, 'obv');
        previousClose = readNumber(s, 'previousClose', 'obv');
        total = readNumber(s, 'total', 'obv');
      },
    };
  },
});
