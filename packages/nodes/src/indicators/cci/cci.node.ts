// Commodity channel index: the typical price's distance from its SMA in units of 0.015 × mean deviation.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { typicalPrice } from '../internal/candle';
import { CANDLES_INPUT, periodParam } from '../internal/params';
import { RollingMoments } from '../internal/rolling-moments';
import { RingBuffer } from '../internal/ring-buffer';
import { readNested, readRecord } from '../internal/state';

export const cciNode = defineNode({
  type: 'cci',
  version: 1,
  category: 'indicators',
  title: 'CCI',
  description: 'Commodity channel index: how unusual the typical price is against its recent mean.',
  inputs: [CANDLES_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'CCI (about ±100 is the normal range)' }],
  params: z.object({ period: periodParam(20, 'Bars in the mean and the mean deviation', 2, 500) }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const mean = new RollingMoments(p.period);
    const prices = new RingBuffer(p.period);
    return {
      update(inputs, out) {
        const price = typicalPrice(inputs[0] as Bar);
        mean.push(price);
        prices.push(price);
        if (!mean.full) {
          out[0] = null;
          return;
        }
        // The mean absolute deviation is taken around the current mean, which moves every bar, so it has no
        // running form: this is the one O(period) update in the catalogue, accepted for CCI.
        const m = mean.average;
        let deviation = 0;
        for (let i = 0; i < p.period; i++) deviation += Math.abs(prices.get(i) - m);
        deviation /= p.period;
        out[0] = deviation === 0 ? 0 : (price - m) / (0.015 * deviation);
      },
      snapshot: () => ({ mean: mean.snapshot(), prices: prices.snapshot() }),
      restore(state) {
        const s = readRecord(state, 'cci');
        mean.restore(readNested(s, 'mean', 'cci'), 'cci');
        prices.restore(readNested(s, 'prices', 'cci'), 'cci');
      },
    };
  },
});
