// Lowest: the node contract, and agreement with technicalindicators' Lowest and with a plain
// O(n·period) Math.min of each window on GOOG daily closes.
import { Lowest } from 'technicalindicators';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { lowestNode } from './lowest.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(lowestNode, [
  { name: 'default period', rows },
  { name: 'period 1', params: { period: 1 }, rows },
  { name: 'period 4', params: { period: 4 }, rows },
]);

describe.skipIf(!sharedDataExists)('lowest reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];
  const actual = column(
    runNode(
      lowestNode,
      { period: 20 },
      prices.map((x) => [x]),
    ),
    0,
  );

  it('matches a plain Math.min of each 20-bar window', () => {
    const expected = prices.map((_, i) => (i < 19 ? null : Math.min(...prices.slice(i - 19, i + 1))));

    expectCloseSeries(actual, expected, { from: 19, rtol: 0 });
  });

  it('matches technicalindicators Lowest(20)', () => {
    const expected = alignEnd(Lowest.calculate({ period: 20, values: prices }), prices.length);

    expectCloseSeries(actual, expected, { from: 19, rtol: 0 });
  });
});
