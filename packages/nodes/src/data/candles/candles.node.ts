// The market data source: one symbol's bars at one timeframe, as fed by the kernel.
import { type Bar, defineNode, type Evaluator, NO_STATE } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessInline } from '../../inline/inline-code';
import { timeframeParam } from '../timeframe-param';

export const candlesNode = defineNode({
  type: 'candles',
  version: 1,
  category: 'data',
  title: 'Candles',
  description: 'Market data: the bars of one symbol at one timeframe.',
  inputs: [],
  outputs: [
    {
      name: 'candles',
      kind: 'candles',
      description: 'The whole bar',
      barFields: ['open', 'high', 'low', 'close', 'volume'],
    },
    { name: 'open', kind: 'number', description: 'Open price', barFields: ['open'] },
    { name: 'high', kind: 'number', description: 'High price', barFields: ['high'] },
    { name: 'low', kind: 'number', description: 'Low price', barFields: ['low'] },
    { name: 'close', kind: 'number', description: 'Close price', barFields: ['close'] },
    { name: 'volume', kind: 'number', description: 'Traded volume (base currency)', barFields: ['volume'] },
  ],
  params: z.object({
    symbol: z.string().min(1, 'name a symbol such as BTC/USDT').default('BTC/USDT').meta({
      description: 'Market symbol, as the exchange writes it',
    }),
    timeframe: timeframeParam('1h', 'Bar length'),
  }),
  warmup: () => 0,
  feed: (p) => ({ symbol: p.symbol, timeframe: p.timeframe }),
  create(): Evaluator {
    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        out[0] = bar;
        out[1] = bar.open;
        out[2] = bar.high;
        out[3] = bar.low;
        out[4] = bar.close;
        out[5] = bar.volume;
      },
      snapshot: () => NO_STATE,
      restore: () => {},
    };
  },
  // Fields through field(), not off the bar object: the kernel's batch loop then reads them from the columns.
  inline: statelessInline((c) =>
    [
      c.write(0, c.input(0)),
      c.write(1, c.field(0, 'open')),
      c.write(2, c.field(0, 'high')),
      c.write(3, c.field(0, 'low')),
      c.write(4, c.field(0, 'close')),
      c.write(5, c.field(0, 'volume')),
    ].join(' '),
  ),
});
