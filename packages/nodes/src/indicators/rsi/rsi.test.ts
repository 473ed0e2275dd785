// RSI: the node contract, and agreement with trading-signals' Wilder RSI on GOOG daily closes. Both seed
// the averages with the SMA of the first `period` changes, so the comparison is exact from the first value.
// (technicalindicators rounds its RSI to two decimals, so it is not used here.)
import { RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { rsiNode } from './rsi.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(rsiNode, [
  { name: 'default period', rows },
  { name: 'period 2', params: { period: 2 }, rows },
]);

describe('rsi edge cases', () => {
  it('reads 100 when the window had only gains and 0 when it had only losses', () => {
    const up = column(
      runNode(
        rsiNode,
        { period: 3 },
        [1, 2, 3, 4, 5].map((x) => [x]),
      ),
      0,
    );
    const down = column(
      runNode(
        rsiNode,
        { period: 3 },
        [5, 4, 3, 2, 1].map((x) => [x]),
      ),
      0,
    );

    expect(up.slice(3)).toEqual([100, 100]);
    expect(down.slice(3)).toEqual([0, 0]);
  });
});

describe.skipIf(!sharedDataExists)('rsi reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];

  for (const period of [14, 5]) {
    it(`matches trading-signals RSI(${period}) on every bar from index ${period}`, () => {
      const reference = new RSI(period);
      const expected = prices.map((x) => reference.update(x, false));

      const actual = column(
        runNode(
          rsiNode,
          { period },
          prices.map((x) => [x]),
        ),
        0,
      );

      expectCloseSeries(actual, expected, { from: period, rtol: 1e-9 });
    });
  }
});
