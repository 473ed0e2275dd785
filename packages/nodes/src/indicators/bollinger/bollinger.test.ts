// Bollinger bands: the node contract, and agreement with trading-signals' BollingerBands (population
// standard deviation) on GOOG daily closes.
import { BollingerBands } from 'trading-signals';
import { describe, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { bollingerNode } from './bollinger.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(bollingerNode, [
  { name: 'defaults 20/2', rows },
  { name: 'period 5, 1.5 deviations', params: { period: 5, stdDev: 1.5 }, rows },
]);

describe.skipIf(!sharedDataExists)('bollinger reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];

  it('matches trading-signals BollingerBands(20, 2) upper, middle and lower from index 19', () => {
    const reference = new BollingerBands(20, 2);
    const expected = prices.map((x) => reference.update(x, false));

    const outputs = runNode(
      bollingerNode,
      {},
      prices.map((x) => [x]),
    );

    expectCloseSeries(
      column(outputs, 0),
      expected.map((r) => r?.upper),
      { from: 19, rtol: 1e-9 },
    );
    expectCloseSeries(
      column(outputs, 1),
      expected.map((r) => r?.middle),
      { from: 19, rtol: 1e-9 },
    );
    expectCloseSeries(
      column(outputs, 2),
      expected.map((r) => r?.lower),
      { from: 19, rtol: 1e-9 },
    );
  });
});
