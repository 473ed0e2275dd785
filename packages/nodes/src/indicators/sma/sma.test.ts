// SMA: the node contract, and agreement with both reference libraries on GOOG daily closes.
import { SMA as TiSMA } from 'technicalindicators';
import { SMA } from 'trading-signals';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { smaNode } from './sma.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(smaNode, [
  { name: 'default period', rows },
  { name: 'period 1 passes values through', params: { period: 1 }, rows },
  { name: 'period 7', params: { period: 7 }, rows },
]);

describe.skipIf(!sharedDataExists)('sma reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];
  const actual = (period: number) =>
    column(
      runNode(
        smaNode,
        { period },
        prices.map((x) => [x]),
      ),
      0,
    );

  it('matches trading-signals SMA(20) on every bar from the first full window', () => {
    const reference = new SMA(20);
    const expected = prices.map((x) => reference.update(x, false));

    expectCloseSeries(actual(20), expected, { from: 19, rtol: 1e-9 });
  });

  it('matches technicalindicators SMA(50) on every bar from the first full window', () => {
    const expected = alignEnd(TiSMA.calculate({ period: 50, values: prices }), prices.length);

    expectCloseSeries(actual(50), expected, { from: 49, rtol: 1e-9 });
  });
});
