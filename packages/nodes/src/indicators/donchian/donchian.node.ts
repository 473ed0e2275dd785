// Donchian channel: the highest high and lowest low of the last `period` bars, and their midpoint.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { CANDLES_INPUT, periodParam } from '../internal/params';
import { RollingExtreme } from '../internal/rolling-extreme';
import { readNested, readRecord } from '../internal/state';

export const donchianNode = defineNode({
  type: 'donchian',
  version: 1,
  category: 'indicators',
  title: 'Donchian Channel',
  description: 'Highest high and lowest low of the last N bars (this bar included), with the midpoint.',
  inputs: [CANDLES_INPUT],
  outputs: [
    { name: 'upper', kind: 'number', description: 'Highest high' },
    { name: 'middle', kind: 'number', description: 'Midpoint of upper and lower' },
    { name: 'lower', kind: 'number', description: 'Lowest low' },
  ],
  params: z.object({ period: periodParam(20, 'Bars in the channel') }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const highest = new RollingExtreme(p.period, 'max');
    const lowest = new RollingExtreme(p.period, 'min');
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        highest.push(bar.high);
        lowest.push(bar.low);
        if (!highest.full) {
          out[0] = null;
          out[1] = null;
          out[2] = null;
          return;
        }
        out[0] = highest.value;
        out[1] = (highest.value + lowest.value) / 2;
        out[2] = lowest.value;
      },
      snapshot: () => ({ highest: highest.snapshot(), lowest: lowest.snapshot() }),
      restore(state) {
        const s = readRecord(state, 'donchian');
        highest.restore(readNested(s, 'highest', 'donchian'), 'donchian');
        lowest.restore(readNested(s, 'lowest', 'donchian'), 'donchian');
      },
    };
  },
});
