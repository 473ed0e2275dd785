// CCI: the node contract, and agreement with trading-signals' and technicalindicators' CCI on GOOG daily bars.
import { CCI as TiCCI } from 'technicalindicators';
import { CCI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { cciNode } from './cci.node.ts';

const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(cciNode, [
  { name: 'default period', rows },
  { name: 'period 5', params: { period: 5 }, rows },
]);

describe('cci edge cases', () => {
  it('reads 0 when every typical price in the window is the same', () => {
    const flat = { time: 0, open: 2, high: 2, low: 2, close: 2, volume: 1 };

    expect(column(runNode(cciNode, { period: 2 }, [[flat], [flat]]), 0)).toEqual([null, 0]);
  });
});

describe.skipIf(!sharedDataExists)('cci reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];
  const actual = column(
    runNode(
      cciNode,
      {},
      bars.map((b) => [b]),
    ),
    0,
  );

  it('matches trading-signals CCI(20) from index 19', () => {
    const reference = new CCI(20);
    const expected = bars.map((b) => reference.update(b, false));

    expectCloseSeries(actual, expected, { from: 19, rtol: 1e-9, atol: 1e-9 });
  });

  it('matches technicalindicators CCI(20) from index 19', () => {
    const expected = alignEnd(
      TiCCI.calculate({
        period: 20,
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
      }),
      bars.length,
    );

    expectCloseSeries(actual, expected, { from: 19, rtol: 1e-9, atol: 1e-9 });
  });
});
