// Supertrend: a trailing line at hl2 ± multiplier × ATR that only tightens, flipping side when the close
// crosses it. Band rules and the first bar's direction (down unless the close is above the upper band)
// follow trading-signals' SuperTrend.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { AverageTrueRange } from '../internal/atr';
import { CANDLES_INPUT, multiplierParam, periodParam } from '../internal/params';
import { readBoolean, readNested, readNumber, readRecord, storeNumber } from '../internal/state';

export const supertrendNode = defineNode({
  type: 'supertrend',
  version: 1,
  category: 'indicators',
  title: 'Supertrend',
  description: 'ATR trailing line below price in an uptrend and above it in a downtrend.',
  inputs: [CANDLES_INPUT],
  outputs: [
    { name: 'value', kind: 'number', description: 'The trailing line (lower band when up, upper when down)' },
    { name: 'up', kind: 'boolean', description: 'True in an uptrend' },
  ],
  params: z.object({
    period: periodParam(10, 'Bars in the ATR', 1, 500),
    multiplier: multiplierParam(3, 'Distance of the bands in ATRs'),
  }),
  warmup: (p) => p.period,
  create(p): Evaluator {
    const atr = new AverageTrueRange(p.period);
    // NaN upper band = no band yet.
    let upper = Number.NaN;
    let lower = Number.NaN;
    let previousClose = Number.NaN;
    let up = false;
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        atr.push(bar);
        if (!atr.ready) {
          out[0] = null;
          out[1] = null;
          return;
        }
        const hl2 = (bar.high + bar.low) / 2;
        const basicUpper = hl2 + p.multiplier * atr.value;
        const basicLower = hl2 - p.multiplier * atr.value;
        if (Number.isNaN(upper)) {
          upper = basicUpper;
          lower = basicLower;
          up = bar.close > upper;
        } else {
          // A band only moves toward price, unless price closed beyond it (then it resets).
          upper = basicUpper < upper || previousClose > upper ? basicUpper : upper;
          lower = basicLower > lower || previousClose < lower ? basicLower : lower;
          up = up ? bar.close >= lower : bar.close > upper;
        }
        previousClose = bar.close;
        out[0] = up ? lower : upper;
        out[1] = up;
      },
      snapshot: () => ({
        atr: atr.snapshot(),
        upper: storeNumber(upper),
        lower: storeNumber(lower),
        previousClose: storeNumber(previousClose),
        up,
      }),
      restore(state) {
        const s = readRecord(state, 'supertrend');
        atr.restore(readNested(s, 'atr', 'supertrend'), 'supertrend');
        upper = readNumber(s, 'upper', 'supertrend');
        lower = readNumber(s, 'lower', 'supertrend');
        previousClose = readNumber(s, 'previousClose', 'supertrend');
        up = readBoolean(s, 'up', 'supertrend');
      },
    };
  },
});
