// Volume-weighted average price of the typical price, either since UTC midnight or over a rolling window.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { typicalPrice } from '../internal/candle';
import { CANDLES_INPUT, periodParam } from '../internal/params';
import { RollingMoments } from '../internal/rolling-moments';
import { readNested, readNumber, readRecord } from '../internal/state';

const DAY_MS = 86_400_000;

export const vwapNode = defineNode({
  type: 'vwap',
  version: 1,
  category: 'indicators',
  title: 'VWAP',
  description: 'Volume-weighted average price, reset at UTC midnight or over the last N bars.',
  inputs: [CANDLES_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'VWAP in price units' }],
  params: z.object({
    anchor: z
      .enum(['day', 'rolling'])
      .default('day')
      .meta({ description: 'day: since 00:00 UTC of the bar; rolling: over the last `period` bars' }),
    period: periodParam(20, 'Bars in the rolling window (anchor = rolling only)'),
  }),
  warmup: (p) => (p.anchor === 'rolling' ? p.period - 1 : 0),
  create(p): Evaluator {
    // Means of price·volume and volume over the window; their ratio is the VWAP.
    const priceVolume = new RollingMoments(p.period);
    const volume = new RollingMoments(p.period);
    let day = Number.NaN;
    let sumPriceVolume = 0;
    let sumVolume = 0;
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        const price = typicalPrice(bar);
        let pv: number;
        let v: number;
        if (p.anchor === 'day') {
          const barDay = Math.floor(bar.time / DAY_MS);
          if (barDay !== day) {
            day = barDay;
            sumPriceVolume = 0;
            sumVolume = 0;
          }
          sumPriceVolume += price * bar.volume;
          sumVolume += bar.volume;
          pv = sumPriceVolume;
          v = sumVolume;
        } else {
          priceVolume.push(price * bar.volume);
          volume.push(bar.volume);
          if (!volume.full) {
            out[0] = null;
            return;
          }
          pv = priceVolume.average;
          v = volume.average;
        }
        // Without any traded volume there is nothing to weight by; the bar's typical price is the honest fallback.
        out[0] = v > 0 ? pv / v : price;
      },
      snapshot: () => ({
        priceVolume: priceVolume.snapshot(),
        volume: volume.snapshot(),
        day: Number.isNaN(day) ? null : day,
        sumPriceVolume,
        sumVolume,
      }),
      restore(state) {
        const s = readRecord(state, 'vwap');
        priceVolume.restore(readNested(s, 'priceVolume', 'vwap'), 'vwap');
        volume.restore(readNested(s, 'volume', 'vwap'), 'vwap');
        day = s.day === null ? Number.NaN : readNumber(s, 'day', 'vwap');
        sumPriceVolume = readNumber(s, 'sumPriceVolume', 'vwap');
        sumVolume = readNumber(s, 'sumVolume', 'vwap');
      },
    };
  },
});
