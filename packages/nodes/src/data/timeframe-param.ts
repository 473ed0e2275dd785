// The timeframe parameter of the data nodes: exchange notation ('1m', '4h', '1d'), refused early when unreadable.
import { timeframeMs } from '@candleflow/strategy-dsl';
import { z } from 'zod';

export function timeframeParam(defaultValue: string, description: string) {
  return z
    .string()
    .refine((text) => timeframeMs(text) !== null, {
      message: 'not a timeframe: use a number and a unit such as 1m, 15m, 4h, 1d or 1w',
    })
    .default(defaultValue)
    .meta({ description });
}
