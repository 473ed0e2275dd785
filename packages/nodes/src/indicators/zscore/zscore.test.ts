// Z-score: the node contract, and agreement with a plain two-pass computation of each window's mean and
// population standard deviation (neither reference library has a z-score) on GOOG daily closes.
import { describe, expect, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { zscoreNode } from './zscore.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(zscoreNode, [
  { name: 'default period', rows },
  { name: 'period 3', params: { period: 3 }, rows },
]);

describe('zscore edge cases', () => {
  it('reads 0 for a flat window', () => {
    expect(column(runNode(zscoreNode, { period: 2 }, [[4], [4], [4]]), 0)).toEqual([null, 0, 0]);
  });
});

describe.skipIf(!sharedDataExists)('zscore reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];

  it('matches a two-pass z-score of each 20-bar window', () => {
    const expected = prices.map((x, i) => {
      if (i < 19) return null;
      const window = prices.slice(i - 19, i + 1);
      const mean = window.reduce((a, b) => a + b, 0) / window.length;
      const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / window.length);
      return (x - mean) / sd;
    });

    const actual = column(
      runNode(
        zscoreNode,
        { period: 20 },
        prices.map((x) => [x]),
      ),
      0,
    );

    expectCloseSeries(actual, expected, { from: 19, rtol: 1e-7, atol: 1e-9 });
  });
});
