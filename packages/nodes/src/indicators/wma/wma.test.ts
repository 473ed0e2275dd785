// WMA: the node contract, and agreement with both reference libraries on GOOG daily closes (long enough
// to pass through many exact recomputations of the running sums).
import { WMA as TiWMA } from 'technicalindicators';
import { WMA } from 'trading-signals';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { wmaNode } from './wma.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(wmaNode, [
  { name: 'default period', rows },
  { name: 'period 1', params: { period: 1 }, rows },
  { name: 'period 6', params: { period: 6 }, rows },
]);

describe.skipIf(!sharedDataExists)('wma reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];
  const actual = (period: number) =>
    column(
      runNode(
        wmaNode,
        { period },
        prices.map((x) => [x]),
      ),
      0,
    );

  it('matches trading-signals WMA(20) on every bar from the first full window', () => {
    const reference = new WMA(20);
    const expected = prices.map((x) => reference.update(x, false));

    expectCloseSeries(actual(20), expected, { from: 19, rtol: 1e-9 });
  });

  it('matches technicalindicators WMA(9) on every bar from the first full window', () => {
    const expected = alignEnd(TiWMA.calculate({ period: 9, values: prices }), prices.length);

    expectCloseSeries(actual(9), expected, { from: 8, rtol: 1e-9 });
  });
});
