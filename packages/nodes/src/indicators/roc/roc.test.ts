// Rate of change: the node contract, and agreement with technicalindicators' ROC (percent) on GOOG daily
// closes; trading-signals' ROC is a fraction, so it is compared × 100.
import { ROC as TiROC } from 'technicalindicators';
import { ROC } from 'trading-signals';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { rocNode } from './roc.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(rocNode, [
  { name: 'default period', rows },
  { name: 'period 1', params: { period: 1 }, rows },
]);

describe.skipIf(!sharedDataExists)('roc reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];
  const actual = column(
    runNode(
      rocNode,
      { period: 12 },
      prices.map((x) => [x]),
    ),
    0,
  );

  it('matches technicalindicators ROC(12) from index 12', () => {
    const expected = alignEnd(TiROC.calculate({ period: 12, values: prices }), prices.length);

    expectCloseSeries(actual, expected, { from: 12, rtol: 1e-9, atol: 1e-9 });
  });

  it('matches trading-signals ROC(12) × 100 from index 12', () => {
    const reference = new ROC(12);
    const expected = prices.map((x) => {
      const r = reference.update(x, false);
      return r === null ? null : r * 100;
    });

    expectCloseSeries(actual, expected, { from: 12, rtol: 1e-9, atol: 1e-9 });
  });
});
