// Parameter schemas and ports shared by the indicator nodes, so every period looks the same in the form
// and the optimizer searches the same realistic ranges.
import type { InputPort } from '@candleflow/strategy-dsl';
import { z } from 'zod';

/** A look-back length in bars. */
export function periodParam(defaultValue: number, description: string, min = 1, max = 1000) {
  return z.number().int().min(min).max(max).default(defaultValue).meta({ step: 1, description });
}

/** A band width or multiplier. */
export function multiplierParam(defaultValue: number, description: string, min = 0.1, max = 10) {
  return z.number().min(min).max(max).default(defaultValue).meta({ step: 0.1, description });
}

export const SOURCE_INPUT: InputPort = {
  name: 'source',
  kind: 'number',
  description: 'The series to analyse (e.g. close)',
};

export const CANDLES_INPUT: InputPort = {
  name: 'candles',
  kind: 'candles',
  description: 'The bars to analyse',
};
