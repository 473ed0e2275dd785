// MACD: the difference of a fast and a slow EMA, its EMA (the signal line) and their difference.
// All EMAs are seeded with the SMA of their first values; every output waits for the signal line.
import { defineNode, type Evaluator, type NodeParamIssue } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { Smoother } from '../internal/smoothing';
import { readNested, readRecord } from '../internal/state';

export const macdNode = defineNode({
  type: 'macd',
  version: 1,
  category: 'indicators',
  title: 'MACD',
  description: 'Moving average convergence/divergence: fast EMA minus slow EMA, with a signal line.',
  inputs: [SOURCE_INPUT],
  outputs: [
    { name: 'macd', kind: 'number', description: 'Fast EMA minus slow EMA' },
    { name: 'signal', kind: 'number', description: 'EMA of the MACD line' },
    { name: 'histogram', kind: 'number', description: 'MACD minus signal' },
  ],
  params: z.object({
    fast: periodParam(12, 'Bars in the fast EMA', 1, 500),
    slow: periodParam(26, 'Bars in the slow EMA', 2, 1000),
    signal: periodParam(9, 'Bars in the signal EMA', 1, 500),
  }),
  warmup: (p) => Math.max(p.fast, p.slow) - 1 + p.signal - 1,
  check(p): readonly NodeParamIssue[] {
    if (p.fast < p.slow) return [];
    return [
      {
        code: 'INVALID_PARAM',
        param: 'fast',
        message: `'fast' (${p.fast}) must be shorter than 'slow' (${p.slow})`,
        hint: 'swap the two periods or lower fast',
      },
    ];
  },
  create(p): Evaluator {
    const fast = new Smoother(p.fast, 'ema');
    const slow = new Smoother(p.slow, 'ema');
    const signal = new Smoother(p.signal, 'ema');
    return {
      update(inputs, out) {
        const x = inputs[0] as number;
        fast.push(x);
        slow.push(x);
        if (fast.ready && slow.ready) {
          const line = fast.value - slow.value;
          signal.push(line);
          if (signal.ready) {
            out[0] = line;
            out[1] = signal.value;
            out[2] = line - signal.value;
            return;
          }
        }
        out[0] = null;
        out[1] = null;
        out[2] = null;
      },
      snapshot: () => ({ fast: fast.snapshot(), slow: slow.snapshot(), signal: signal.snapshot() }),
      restore(state) {
        const s = readRecord(state, 'macd');
        fast.restore(readNested(s, 'fast', 'macd'), 'macd');
        slow.restore(readNested(s, 'slow', 'macd'), 'macd');
        signal.restore(readNested(s, 'signal', 'macd'), 'macd');
      },
    };
  },
});
