// risk_size: volatility sizing — lose riskPercent of equity if price moves atrMult ATRs against the entry.
import { defineNode, type Sizing } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../../math/stateless';

const params = z.object({
  riskPercent: z
    .number()
    .min(0.01)
    .max(100)
    .default(2)
    .meta({ step: 0.1 })
    .describe('Percent of equity lost if the price moves the stop distance against the position.'),
  atrMult: z.number().min(0.1).max(20).default(2).meta({ step: 0.1 }).describe('The stop distance in ATRs.'),
});

export const riskSizeNode = defineNode({
  type: 'risk_size',
  version: 1,
  category: 'sizing',
  title: 'Risk size (ATR)',
  description: 'Sizes each entry so a move of atrMult × ATR against it costs riskPercent of equity.',
  inputs: [
    { name: 'atr', kind: 'number', description: 'Average true range (in price units) of the traded symbol.' },
  ],
  outputs: [
    {
      name: 'sizing',
      kind: 'sizing',
      description:
        'Risk percent and stop distance (ATR × multiple), for an order node; empty while ATR is not positive.',
    },
  ],
  params,
  warmup: () => 0,
  // Stateless (its cache is derived): the fast kernel may build it only on bars an order reads it.
  pure: true,
  create: ({ riskPercent, atrMult }) => {
    let lastAtr = Number.NaN;
    let lastSizing: Sizing | null = null;
    return statelessEvaluator((inputs, out) => {
      const atr = inputs[0] as number;
      // A zero stop distance would size the position infinitely large; no sizing blocks the entry instead.
      if (!(atr > 0) || !Number.isFinite(atr)) {
        out[0] = null;
        return;
      }
      // Values may be held by an OrderIntent, so each distinct value is a new frozen object; an
      // unchanged ATR reuses the last one. This cache is derived, so the node stays stateless.
      if (atr !== lastAtr) {
        lastAtr = atr;
        lastSizing = Object.freeze({ kind: 'risk', riskPercent, stopDistance: atr * atrMult });
      }
      out[0] = lastSizing;
    });
  },
});
