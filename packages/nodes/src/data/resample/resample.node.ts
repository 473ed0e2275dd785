// Resample: aggregates base bars into higher-timeframe bars and emits each one only once it has closed,
// so nothing downstream can see a forming higher-timeframe bar. Its last output is the clock's tick.
import {
  type Bar,
  bucketStart,
  defineNode,
  isCalendarTimeframe,
  type Evaluator,
  requireTimeframeMs,
} from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { readNumber, readRecord } from '../../indicators/internal/state';
import { timeframeParam } from '../timeframe-param';

function readBar(value: unknown, where: string): Bar | null {
  if (value === null) return null;
  const s = readRecord(value, where);
  return {
    time: readNumber(s, 'time', where),
    open: readNumber(s, 'open', where),
    high: readNumber(s, 'high', where),
    low: readNumber(s, 'low', where),
    close: readNumber(s, 'close', where),
    volume: readNumber(s, 'volume', where),
  };
}

export const resampleNode = defineNode({
  type: 'resample',
  version: 1,
  category: 'data',
  title: 'Resample',
  description: 'Higher-timeframe bars built from the input bars, visible once each has closed.',
  inputs: [{ name: 'candles', kind: 'candles', description: 'Base bars to aggregate' }],
  outputs: [
    { name: 'candles', kind: 'candles', description: 'The last closed higher-timeframe bar' },
    { name: 'open', kind: 'number', description: 'Its open' },
    { name: 'high', kind: 'number', description: 'Its high' },
    { name: 'low', kind: 'number', description: 'Its low' },
    { name: 'close', kind: 'number', description: 'Its close' },
    { name: 'volume', kind: 'number', description: 'Its volume' },
    { name: 'closed', kind: 'boolean', description: 'True on the step where a higher-timeframe bar closed' },
  ],
  params: z.object({ timeframe: timeframeParam('4h', 'Timeframe of the output bars') }),
  // The first close depends on the base timeframe and on where the data starts within a bucket, neither of
  // which the parameters know; the kernel's clock (the `closed` output) is what tells consumers when to read.
  warmup: () => 0,
  outputTimeframe: (p) => p.timeframe,
  check: (p) =>
    isCalendarTimeframe(p.timeframe)
      ? [
          {
            code: 'INVALID_PARAM',
            param: 'timeframe',
            message: `resampling to calendar months (${p.timeframe}) is not supported: months differ in length`,
            hint: 'resample to 1w or 4w, or load monthly candles directly',
          },
        ]
      : [],
  create(p, ctx): Evaluator {
    const bucketMs = requireTimeframeMs(p.timeframe);
    const baseMs = ctx.baseTimeframeMs;
    if (!(baseMs > 0) || bucketMs < baseMs || bucketMs % baseMs !== 0) {
      throw new Error(
        `resample (node ${ctx.nodeId}): ${p.timeframe} is not a whole multiple of the base timeframe ` +
          `(${baseMs} ms); choose a timeframe at least as long as the data's and divisible by it`,
      );
    }
    // The forming bucket; NaN start = none.
    let start = Number.NaN;
    let open = 0;
    let high = 0;
    let low = 0;
    let close = 0;
    let volume = 0;
    let last: Bar | null = null;

    const closeBucket = () => {
      // One allocation per higher-timeframe bar (not per base bar): consumers may keep the bar they are given.
      last = { time: start, open, high, low, close, volume };
      start = Number.NaN;
    };

    return {
      update(inputs, out) {
        const bar = inputs[0] as Bar;
        const bucket = bucketStart(bar.time, bucketMs);
        let closed = false;
        // A bar of a later bucket proves the forming one is complete, even if its last base bars are missing.
        if (!Number.isNaN(start) && bucket !== start) {
          closeBucket();
          closed = true;
        }
        if (Number.isNaN(start)) {
          start = bucket;
          open = bar.open;
          high = bar.high;
          low = bar.low;
          close = bar.close;
          volume = bar.volume;
        } else {
          if (bar.high > high) high = bar.high;
          if (bar.low < low) low = bar.low;
          close = bar.close;
          volume += bar.volume;
        }
        // This base bar ends the bucket: its close is the bucket's close, final now. If a gap closed the
        // previous bucket on this same step, the newer bar supersedes it (the clock ticks once per step).
        if (bar.time + baseMs >= start + bucketMs) {
          closeBucket();
          closed = true;
        }
        const emitted = last as Bar | null;
        if (emitted === null) {
          out.fill(null, 0, 7);
          return;
        }
        out[0] = emitted;
        out[1] = emitted.open;
        out[2] = emitted.high;
        out[3] = emitted.low;
        out[4] = emitted.close;
        out[5] = emitted.volume;
        out[6] = closed;
      },
      snapshot: () => ({
        start: Number.isNaN(start) ? null : start,
        open,
        high,
        low,
        close,
        volume,
        last,
      }),
      restore(state) {
        const s = readRecord(state, 'resample');
        start = s.start === null ? Number.NaN : readNumber(s, 'start', 'resample');
        open = readNumber(s, 'open', 'resample');
        high = readNumber(s, 'high', 'resample');
        low = readNumber(s, 'low', 'resample');
        close = readNumber(s, 'close', 'resample');
        volume = readNumber(s, 'volume', 'resample');
        last = readBar(s.last ?? null, 'resample.last');
      },
    };
  },
});
