// Donchian channel: the node contract, and agreement with trading-signals' DonchianChannels on GOOG daily bars.
import { DonchianChannels } from 'trading-signals';
import { describe, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { donchianNode } from './donchian.node.ts';

const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(donchianNode, [
  { name: 'default period', rows },
  { name: 'period 1', params: { period: 1 }, rows },
]);

describe.skipIf(!sharedDataExists)('donchian reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];

  it('matches trading-signals DonchianChannels(20) upper, middle and lower from index 19', () => {
    const reference = new DonchianChannels(20);
    const expected = bars.map((b) => reference.update(b, false));

    const outputs = runNode(
      donchianNode,
      {},
      bars.map((b) => [b]),
    );

    expectCloseSeries(
      column(outputs, 0),
      expected.map((r) => r?.upper),
      { from: 19, rtol: 1e-12 },
    );
    expectCloseSeries(
      column(outputs, 1),
      expected.map((r) => r?.middle),
      { from: 19, rtol: 1e-12 },
    );
    expectCloseSeries(
      column(outputs, 2),
      expected.map((r) => r?.lower),
      { from: 19, rtol: 1e-12 },
    );
  });
});
