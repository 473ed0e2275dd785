// Average directional index (Wilder): trend strength, with the directional indicators +DI and −DI.
// Directional movement and true range start at the second bar; +DI/−DI need `period` of them, and ADX,
// the Wilder average of DX, another `period − 1` bars (first at index 2·period − 1, as in TA-Lib).
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { trueRange } from '../internal/candle';
import { CANDLES_INPUT, periodParam } from '../internal/params';
import { Smoother } from '../internal/smoothing';
import { readNested, readNumber, readRecord, storeNumber } from '../internal/state';

export const adxNode = defineNode({
  type: 'adx',
  version: 1,
  category: 'indicators',
  title: 'ADX',
  description: 'Average directional index: trend strength (0–100) with +DI and −DI.',
  inputs: [CANDLES_INPUT],
  outputs: [
    { name: 'adx', kind: 'number', description: 'Trend strength, 0 to 100' },
    { name: 'plus_di', kind: 'number', description: '+DI: upward directional movement, percent of ATR' },
    { name: 'minus_di', kind: 'number', description: '−DI: downward directional movement, percent of ATR' },
  ],
  params: z.object({ period: periodParam(14, 'Bars in each Wilder average', 2, 500) }),
  warmup: (p) => 2 * p.period - 1,
  create(p): Evaluator {
    const tr = new Smoother(p.period, 'wilder');
    const plusDm = new Smoother(p.period, 'wilder');
    const minusDm = new Smoother(p.period, 'wilder');
    const adx = new Smoother(p.period, 'wilder');
    let prevHigh = Number.NaN;
    let prevLow = Number.NaN;
    let prevClose = Number.NaN;
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        out[0] = null;
        out[1] = null;
        out[2] = null;
        const first = Number.isNaN(prevClose);
        if (!first) {
          const up = bar.high - prevHigh;
          const down = prevLow - bar.low;
          plusDm.push(up > down && up > 0 ? up : 0);
          minusDm.push(down > up && down > 0 ? down : 0);
          tr.push(trueRange(bar, prevClose));
        }
        prevHigh = bar.high;
        prevLow = bar.low;
        prevClose = bar.close;
        if (first || !tr.ready) return;
        const plusDi = tr.value === 0 ? 0 : (100 * plusDm.value) / tr.value;
        const minusDi = tr.value === 0 ? 0 : (100 * minusDm.value) / tr.value;
        const sum = plusDi + minusDi;
        adx.push(sum === 0 ? 0 : (100 * Math.abs(plusDi - minusDi)) / sum);
        if (!adx.ready) return;
        out[0] = adx.value;
        out[1] = plusDi;
        out[2] = minusDi;
      },
      snapshot: () => ({
        tr: tr.snapshot(),
        plusDm: plusDm.snapshot(),
        minusDm: minusDm.snapshot(),
        adx: adx.snapshot(),
        prevHigh: storeNumber(prevHigh),
        prevLow: storeNumber(prevLow),
        prevClose: storeNumber(prevClose),
      }),
      restore(state) {
        const s = readRecord(state, 'adx');
        tr.restore(readNested(s, 'tr', 'adx'), 'adx');
        plusDm.restore(readNested(s, 'plusDm', 'adx'), 'adx');
        minusDm.restore(readNested(s, 'minusDm', 'adx'), 'adx');
        adx.restore(readNested(s, 'adx', 'adx'), 'adx');
        prevHigh = readNumber(s, 'prevHigh', 'adx');
        prevLow = readNumber(s, 'prevLow', 'adx');
        prevClose = readNumber(s, 'prevClose', 'adx');
      },
    };
  },
});
