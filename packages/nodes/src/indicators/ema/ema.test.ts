// EMA: the node contract, and agreement with both reference libraries on GOOG daily closes.
// Seeding: the node seeds with the SMA of the first `period` values, like technicalindicators, so that
// comparison is exact from the first value; trading-signals seeds with the first price, so it is compared
// only after the seed's influence, (1 − 2/(period+1))^n, has decayed below 1e-9 (n ≈ 200 for period 20).
import { EMA as TiEMA } from 'technicalindicators';
import { EMA } from 'trading-signals';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { emaNode } from './ema.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(emaNode, [
  { name: 'default period', rows },
  { name: 'period 1', params: { period: 1 }, rows },
  { name: 'period 9', params: { period: 9 }, rows },
]);

describe.skipIf(!sharedDataExists)('ema reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];
  const actual = (period: number) =>
    column(
      runNode(
        emaNode,
        { period },
        prices.map((x) => [x]),
      ),
      0,
    );

  it('matches technicalindicators EMA(20), SMA-seeded, on every bar', () => {
    const expected = alignEnd(TiEMA.calculate({ period: 20, values: prices }), prices.length);

    expectCloseSeries(actual(20), expected, { from: 19, rtol: 1e-9 });
  });

  it('converges to trading-signals EMA(20) after its first-price seed has decayed', () => {
    const reference = new EMA(20);
    const expected = prices.map((x) => reference.update(x, false));

    expectCloseSeries(actual(20), expected, { from: 250, rtol: 1e-6 });
  });
});
