// VWAP: the node contract, the UTC-midnight reset against technicalindicators' VWAP run afresh for each
// UTC day of the 1-minute BTC data, and the rolling window against a plain O(n·period) computation
// (neither library has a rolling VWAP).
import type { Bar } from '@candleflow/strategy-dsl';
import { VWAP } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { vwapNode } from './vwap.node.ts';

const DAY = 86_400_000;
const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(vwapNode, [
  { name: 'anchored at UTC midnight', rows },
  { name: 'rolling 10 bars', params: { anchor: 'rolling', period: 10 }, rows },
]);

const typical = (b: Bar) => (b.high + b.low + b.close) / 3;

describe('vwap behaviour', () => {
  it('starts again at UTC midnight', () => {
    const bar = (time: number, price: number, volume: number): Bar => ({
      time,
      open: price,
      high: price,
      low: price,
      close: price,
      volume,
    });
    const bars = [
      bar(DAY - 7_200_000, 10, 1),
      bar(DAY - 3_600_000, 20, 1),
      bar(DAY, 40, 1),
      bar(DAY + 3_600_000, 50, 3),
    ];

    const actual = column(
      runNode(
        vwapNode,
        {},
        bars.map((b) => [b]),
      ),
      0,
    );

    expect(actual).toEqual([10, 15, 40, 47.5]);
  });

  it('falls back to the typical price while no volume has traded', () => {
    const bar: Bar = { time: 0, open: 1, high: 4, low: 1, close: 4, volume: 0 };

    expect(column(runNode(vwapNode, {}, [[bar]]), 0)).toEqual([3]);
  });
});

describe.skipIf(!sharedDataExists)('vwap reference values (UNITTEST_BTC 1-minute bars)', () => {
  const bars = sharedDataExists ? readSharedBars('UNITTEST_BTC-1m.csv') : [];

  it('matches technicalindicators VWAP restarted at each UTC midnight', () => {
    const expected: (number | null)[] = [];
    let day: Bar[] = [];
    const flush = () => {
      if (day.length === 0) return;
      const values = VWAP.calculate({
        high: day.map((b) => b.high),
        low: day.map((b) => b.low),
        close: day.map((b) => b.close),
        volume: day.map((b) => b.volume),
      });
      expected.push(...values);
      day = [];
    };
    for (const b of bars) {
      if (day.length > 0 && Math.floor((day[0] as Bar).time / DAY) !== Math.floor(b.time / DAY)) flush();
      day.push(b);
    }
    flush();
    expect(expected.every(Number.isFinite), 'the data has a day starting without volume').toBe(true);

    const actual = column(
      runNode(
        vwapNode,
        {},
        bars.map((b) => [b]),
      ),
      0,
    );

    expectCloseSeries(actual, expected, { from: 0, rtol: 1e-9 });
  });

  it('matches a plain rolling computation over 30 bars', () => {
    const period = 30;
    const expected = bars.map((_, i) => {
      if (i < period - 1) return null;
      let pv = 0;
      let v = 0;
      for (const b of bars.slice(i - period + 1, i + 1)) {
        pv += typical(b) * b.volume;
        v += b.volume;
      }
      return v > 0 ? pv / v : typical(bars[i] as Bar);
    });

    const actual = column(
      runNode(
        vwapNode,
        { anchor: 'rolling', period },
        bars.map((b) => [b]),
      ),
      0,
    );

    expectCloseSeries(actual, expected, { from: period - 1, rtol: 1e-9 });
  });
});
