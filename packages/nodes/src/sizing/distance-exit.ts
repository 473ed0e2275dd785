// Shared shape of the exits measured from the entry price: stop loss, take profit and trailing stop,
// each either a percent of the entry price or a multiple of ATR (an absolute price distance).
import { defineNode, type Exit, type NodeDefinition } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessEvaluator } from '../math/stateless';

export type DistanceExitKind = 'stop_loss' | 'take_profit' | 'trailing_stop';

export interface DistanceExitSpec {
  readonly kind: DistanceExitKind;
  readonly title: string;
  readonly description: string;
  readonly defaultPercent: number;
  /** A stop 100% away sits at price zero; a profit target may be further than 100%. */
  readonly maxPercent: number;
  readonly defaultMultiple: number;
}

function distanceExitParams(spec: DistanceExitSpec) {
  return z.object({
    mode: z
      .enum(['percent', 'atr'])
      .default('percent')
      .describe('Measure the distance in percent of the entry price, or in multiples of ATR.'),
    percent: z
      .number()
      .min(0.01)
      .max(spec.maxPercent)
      .default(spec.defaultPercent)
      .meta({ step: 0.1 })
      .describe('Distance from the entry price in percent (percent mode).'),
    multiple: z
      .number()
      .min(0.1)
      .max(50)
      .default(spec.defaultMultiple)
      .meta({ step: 0.1 })
      .describe('Distance in ATRs (atr mode).'),
  });
}

export type DistanceExitParams = z.infer<ReturnType<typeof distanceExitParams>>;

export function defineDistanceExitNode(spec: DistanceExitSpec): NodeDefinition<DistanceExitParams> {
  const { kind } = spec;
  return defineNode({
    type: kind,
    version: 1,
    category: 'exits',
    title: spec.title,
    description: spec.description,
    inputs: [
      {
        name: 'atr',
        kind: 'number',
        optional: true,
        description: 'Average true range in price units; needed in atr mode, ignored in percent mode.',
      },
    ],
    outputs: [
      {
        name: 'exit',
        kind: 'exit',
        description: 'The exit to attach to an order node; empty in atr mode until ATR has a positive value.',
      },
    ],
    params: distanceExitParams(spec),
    warmup: () => 0,
    // Stateless (its cache is derived): the fast kernel may build it only on bars an order reads it.
    pure: true,
    check: ({ mode }, { connected }) =>
      mode === 'atr' && !connected.has('atr')
        ? [
            {
              code: 'MISSING_INPUT',
              port: 'atr',
              message: `The ${spec.title.toLowerCase()} is measured in ATRs, but nothing is connected to its atr input.`,
              hint: 'Connect an ATR indicator to the atr input, or set mode to percent.',
            },
          ]
        : [],
    create: ({ mode, percent, multiple }) => {
      if (mode === 'percent') {
        const exit: Exit = Object.freeze({ kind, percent });
        return statelessEvaluator((_inputs, out) => {
          out[0] = exit;
        });
      }
      let lastAtr = Number.NaN;
      let lastExit: Exit | null = null;
      return statelessEvaluator((inputs, out) => {
        const atr = inputs[0];
        // A zero or unknown distance is no protection: the order node holds the entry back instead.
        if (typeof atr !== 'number' || !(atr > 0) || !Number.isFinite(atr)) {
          out[0] = null;
          return;
        }
        // Values may be held by an OrderIntent, so each distinct distance is a new frozen object;
        // an unchanged ATR reuses the last one. The cache is derived, so the node stays stateless.
        if (atr !== lastAtr) {
          lastAtr = atr;
          lastExit = Object.freeze({ kind, distance: atr * multiple });
        }
        out[0] = lastExit;
      });
    },
  });
}
