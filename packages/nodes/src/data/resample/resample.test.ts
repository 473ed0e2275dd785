// Resample: the node contract, and that emitted bars equal a plain group-by of the base bars into buckets,
// appear only once their bucket's last base bar has closed (or a later bucket began), and hold in between.
import type { Bar, CreateContext, Value } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { runNode } from '../../test-support/run-node';
import { resampleNode } from './resample.node.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const oneMinute: CreateContext = { nodeId: 'rs', baseTimeframeMs: MINUTE };

const minuteBars = syntheticBars(200, 3, MINUTE);
// Drops bars 7–12 and 40 so that buckets close through gaps as well as through their last bar.
const gappyBars = minuteBars.filter((_, i) => (i < 7 || i > 12) && i !== 40);
// Synthetic data starts at 00:00 UTC, so the first 5-minute bucket closes with the bar at 00:04.
runIndicatorContract(resampleNode, [
  {
    name: '1m to 5m',
    params: { timeframe: '5m' },
    ctx: oneMinute,
    rows: minuteBars.map((b) => [b]),
    expectedWarmup: 4,
  },
  {
    name: '1m to 5m with gaps',
    params: { timeframe: '5m' },
    ctx: oneMinute,
    rows: gappyBars.map((b) => [b]),
    expectedWarmup: 4,
  },
  {
    name: '1m to 15m',
    params: { timeframe: '15m' },
    ctx: oneMinute,
    rows: minuteBars.map((b) => [b]),
    expectedWarmup: 14,
  },
]);

/** A plain group-by: each bucket's bar from all base bars whose open time falls in it. */
function groupBars(bars: readonly Bar[], bucketOf: (time: number) => number): Map<number, Bar> {
  const groups = new Map<number, Bar>();
  for (const b of bars) {
    const start = bucketOf(b.time);
    const g = groups.get(start);
    groups.set(
      start,
      g === undefined
        ? { ...b, time: start }
        : {
            time: start,
            open: g.open,
            high: Math.max(g.high, b.high),
            low: Math.min(g.low, b.low),
            close: b.close,
            volume: g.volume + b.volume,
          },
    );
  }
  return groups;
}

interface Emission {
  readonly step: number;
  readonly bar: Bar;
}

function emissions(outputs: readonly Value[][]): Emission[] {
  return outputs.flatMap((row, step) => (row[6] === true ? [{ step, bar: row[0] as Bar }] : []));
}

function resample(bars: readonly Bar[], timeframe: string, baseMs: number): Value[][] {
  return runNode(
    resampleNode,
    { timeframe },
    bars.map((b) => [b]),
    { nodeId: 'rs', baseTimeframeMs: baseMs },
  );
}

/** Checks every property of a resampled run against the base bars. */
function expectHonestResample(
  bars: readonly Bar[],
  outputs: readonly Value[][],
  baseMs: number,
  bucketMs: number,
  bucketOf: (t: number) => number,
) {
  const groups = groupBars(bars, bucketOf);
  const lastIndex = new Map(bars.map((b, i) => [bucketOf(b.time), i]));
  const emitted = emissions(outputs);
  expect(emitted.length).toBeGreaterThan(10);
  for (const { step, bar } of emitted) {
    // The emitted bar is exactly the group-by of its bucket.
    expect(bar, `bucket ${new Date(bar.time).toISOString()}`).toEqual(groups.get(bar.time));
    // Never early: no base bar of that bucket comes after the step that emitted it, and that step either
    // completed the bucket or already belongs to a later one.
    const current = bars[step] as Bar;
    expect(
      lastIndex.get(bar.time),
      `last base bar of ${new Date(bar.time).toISOString()}`,
    ).toBeLessThanOrEqual(step);
    expect(current.time + baseMs >= bar.time + bucketMs || bucketOf(current.time) > bar.time).toBe(true);
  }
  // Between closes the outputs hold the last closed bar and the clock does not tick.
  let last: Bar | null = null;
  outputs.forEach((row, step) => {
    if (row[6] === true) last = row[0] as Bar;
    else if (last === null)
      expect(
        row.every((v) => v === null),
        `step ${step} before the first close`,
      ).toBe(true);
    else {
      expect(row[6]).toBe(false);
      expect(row[0]).toBe(last);
      expect(row.slice(1, 6)).toEqual([last.open, last.high, last.low, last.close, last.volume]);
    }
  });
  // Every bucket is emitted, except (a) the last one if its final base bar never came, and (b) a bucket
  // closed by a gap on the very step where the next bar also completes its own bucket: the clock ticks
  // once per step, and the newer bar supersedes it.
  const completes = (b: Bar) => b.time + baseMs >= bucketOf(b.time) + bucketMs;
  const expectedMissing = bars.flatMap((b, i) => {
    const next = bars[i + 1];
    const lastOfBucket = next === undefined || bucketOf(next.time) !== bucketOf(b.time);
    if (!lastOfBucket || completes(b)) return [];
    return next === undefined || completes(next) ? [bucketOf(b.time)] : [];
  });
  const emittedStarts = new Set(emitted.map((e) => e.bar.time));
  const missing = [...groups.keys()].filter((start) => !emittedStarts.has(start));
  expect(missing).toEqual(expectedMissing);
  expect(missing.length, 'superseded buckets should be rare').toBeLessThan(emitted.length / 100 + 2);
  return emitted;
}

describe('resample behaviour', () => {
  it('emits nothing while a bucket is forming and the whole bucket at its last base bar', () => {
    const outputs = resample(minuteBars.slice(0, 10), '5m', MINUTE);

    expect(outputs.map((row) => row[6])).toEqual([
      null,
      null,
      null,
      null,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(outputs[4]?.[0]).toEqual(
      groupBars(minuteBars.slice(0, 5), () => minuteBars[0]!.time).get(minuteBars[0]!.time),
    );
  });

  it('closes a bucket whose last base bars are missing when a bar of a later bucket arrives', () => {
    const bars = [minuteBars[0]!, minuteBars[1]!, minuteBars[2]!, minuteBars[7]!];

    const outputs = resample(bars, '5m', MINUTE);

    expect(outputs.map((row) => row[6])).toEqual([null, null, null, true]);
    expect(outputs[3]?.[0]).toEqual({
      time: minuteBars[0]!.time,
      open: minuteBars[0]!.open,
      high: Math.max(...bars.slice(0, 3).map((b) => b.high)),
      low: Math.min(...bars.slice(0, 3).map((b) => b.low)),
      close: minuteBars[2]!.close,
      volume: bars.slice(0, 3).reduce((sum, b) => sum + b.volume, 0),
    });
  });

  it('passes bars through unchanged when the timeframe equals the base timeframe', () => {
    const bars = syntheticBars(20);

    const outputs = resample(bars, '1h', HOUR);

    expect(outputs.map((row) => row[0])).toEqual(bars);
    expect(outputs.every((row) => row[6] === true)).toBe(true);
  });

  it('declares its output timeframe and refuses timeframes that are not whole multiples of the base', () => {
    const params = resampleNode.params.parse({ timeframe: '90s' });

    expect(resampleNode.outputTimeframe?.(params)).toBe('90s');
    expect(() => resampleNode.create(params, oneMinute)).toThrow(
      /not a whole multiple of the base timeframe/,
    );
    expect(() => resampleNode.create(resampleNode.params.parse({ timeframe: '30s' }), oneMinute)).toThrow(
      /at least as long/,
    );
    expect(resampleNode.params.safeParse({ timeframe: 'hourly' }).success).toBe(false);
  });

  it('keeps the forming bucket and the last closed bar across a snapshot', () => {
    const evaluator = resampleNode.create(resampleNode.params.parse({ timeframe: '5m' }), oneMinute);
    const out: Value[] = new Array(7).fill(null);
    for (const [i, b] of minuteBars.slice(0, 7).entries())
      evaluator.update([b], out, { barIndex: i, time: b.time });

    const restored = resampleNode.create(resampleNode.params.parse({ timeframe: '5m' }), oneMinute);
    restored.restore(JSON.parse(JSON.stringify(evaluator.snapshot())));
    restored.update([minuteBars[7]!], out, { barIndex: 7, time: minuteBars[7]!.time });

    expect(out[0]).toEqual(
      groupBars(minuteBars.slice(0, 5), () => minuteBars[0]!.time).get(minuteBars[0]!.time),
    );
    expect(out[6]).toBe(false);
  });
});

describe.skipIf(!sharedDataExists)('resample reference data', () => {
  const minutes = sharedDataExists ? readSharedBars('UNITTEST_BTC-1m.csv') : [];

  for (const [timeframe, bucketMs] of [
    ['5m', 5 * MINUTE],
    ['1h', HOUR],
  ] as const) {
    it(`turns UNITTEST_BTC 1-minute bars into ${timeframe} bars equal to the bucketed OHLCV`, () => {
      const bucketOf = (t: number) => Math.floor(t / bucketMs) * bucketMs;

      const outputs = resample(minutes, timeframe, MINUTE);

      const emitted = expectHonestResample(minutes, outputs, MINUTE, bucketMs, bucketOf);
      expect(emitted.length).toBeGreaterThan(minutes.length / (bucketMs / MINUTE) - 5);
    });
  }

  it('turns GOOG daily bars into weekly bars starting on Monday, each closed by the next week', () => {
    const days = readSharedBars('GOOG.csv');
    const mondayOf = (t: number) => {
      const midnight = Math.floor(t / DAY) * DAY;
      return midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY;
    };

    const outputs = resample(days, '1w', DAY);

    const emitted = expectHonestResample(days, outputs, DAY, 7 * DAY, mondayOf);
    expect(emitted.every((e) => new Date(e.bar.time).getUTCDay() === 1)).toBe(true);
  });
});

describe('resample to calendar months', () => {
  it('is refused by check() with a hint, since months differ in length', () => {
    const issues = resampleNode.check?.({ timeframe: '1M' }, { connected: new Set(['candles']) }) ?? [];
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('calendar months');
    expect(resampleNode.check?.({ timeframe: '1w' }, { connected: new Set(['candles']) })).toEqual([]);
  });
});
