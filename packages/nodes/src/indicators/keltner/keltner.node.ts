// Keltner channel: the EMA of the typical price ± multiplier × ATR (Wilder).
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { AverageTrueRange } from '../internal/atr';
import { typicalPrice } from '../internal/candle';
import { CANDLES_INPUT, multiplierParam, periodParam } from '../internal/params';
import { Smoother } from '../internal/smoothing';
import { readNested, readRecord } from '../internal/state';

export const keltnerNode = defineNode({
  type: 'keltner',
  version: 1,
  category: 'indicators',
  title: 'Keltner Channel',
  description: 'EMA of the typical price with bands a multiple of the ATR above and below.',
  inputs: [CANDLES_INPUT],
  outputs: [
    { name: 'upper', kind: 'number', description: 'Middle plus multiplier × ATR' },
    { name: 'middle', kind: 'number', description: 'EMA of the typical price' },
    { name: 'lower', kind: 'number', description: 'Middle minus multiplier × ATR' },
  ],
  params: z.object({
    period: periodParam(20, 'Bars in the EMA', 1, 500),
    atrPeriod: periodParam(10, 'Bars in the ATR', 1, 500),
    multiplier: multiplierParam(2, 'Band width in ATRs'),
  }),
  warmup: (p) => Math.max(p.period - 1, p.atrPeriod),
  create(p): Evaluator {
    const ema = new Smoother(p.period, 'ema');
    const atr = new AverageTrueRange(p.atrPeriod);
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        ema.push(typicalPrice(bar));
        atr.push(bar);
        if (!ema.ready || !atr.ready) {
          out[0] = null;
          out[1] = null;
          out[2] = null;
          return;
        }
        const width = p.multiplier * atr.value;
        out[0] = ema.value + width;
        out[1] = ema.value;
        out[2] = ema.value - width;
      },
      snapshot: () => ({ ema: ema.snapshot(), atr: atr.snapshot() }),
      restore(state) {
        const s = readRecord(state, 'keltner');
        ema.restore(readNested(s, 'ema', 'keltner'), 'keltner');
        atr.restore(readNested(s, 'atr', 'keltner'), 'keltner');
      },
    };
  },
});
