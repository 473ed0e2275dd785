// Stochastic oscillator: where the close sits in the recent high–low range (%K), and its average (%D).
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { CANDLES_INPUT, periodParam } from '../internal/params';
import { RollingExtreme } from '../internal/rolling-extreme';
import { RollingMoments } from '../internal/rolling-moments';
import { readNested, readRecord } from '../internal/state';

export const stochasticNode = defineNode({
  type: 'stochastic',
  version: 1,
  category: 'indicators',
  title: 'Stochastic',
  description: 'Stochastic oscillator (0–100): the close within the recent high–low range, with %D.',
  inputs: [CANDLES_INPUT],
  outputs: [
    { name: 'k', kind: 'number', description: '%K, smoothed over kSmoothing bars' },
    { name: 'd', kind: 'number', description: '%D, the SMA of %K' },
  ],
  params: z.object({
    kPeriod: periodParam(14, 'Bars in the high–low range', 1, 500),
    kSmoothing: periodParam(1, 'Bars %K is averaged over (1 = fast, 3 = slow stochastic)', 1, 50),
    dPeriod: periodParam(3, 'Bars %D averages %K over', 1, 50),
  }),
  warmup: (p) => p.kPeriod - 1 + p.kSmoothing - 1 + p.dPeriod - 1,
  create(p): Evaluator {
    const highest = new RollingExtreme(p.kPeriod, 'max');
    const lowest = new RollingExtreme(p.kPeriod, 'min');
    const k = new RollingMoments(p.kSmoothing);
    const d = new RollingMoments(p.dPeriod);
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        highest.push(bar.high);
        lowest.push(bar.low);
        out[0] = null;
        out[1] = null;
        if (!highest.full) return;
        const range = highest.value - lowest.value;
        // A flat range has no position in it; 0 follows both reference libraries.
        k.push(range === 0 ? 0 : ((bar.close - lowest.value) / range) * 100);
        if (!k.full) return;
        d.push(k.average);
        if (!d.full) return;
        out[0] = k.average;
        out[1] = d.average;
      },
      snapshot: () => ({
        highest: highest.snapshot(),
        lowest: lowest.snapshot(),
        k: k.snapshot(),
        d: d.snapshot(),
      }),
      restore(state) {
        const s = readRecord(state, 'stochastic');
        highest.restore(readNested(s, 'highest', 'stochastic'), 'stochastic');
        lowest.restore(readNested(s, 'lowest', 'stochastic'), 'stochastic');
        k.restore(readNested(s, 'k', 'stochastic'), 'stochastic');
        d.restore(readNested(s, 'd', 'stochastic'), 'stochastic');
      },
    };
  },
});
