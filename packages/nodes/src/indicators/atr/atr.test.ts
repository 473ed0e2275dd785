// ATR: the node contract, and agreement with technicalindicators' ATR (true ranges from the second bar,
// SMA-seeded Wilder average, as the node does) exactly, and with trading-signals' ATR (which also counts
// the first bar's high − low) once that extra seed value has decayed, on GOOG daily bars.
import { ATR as TiATR } from 'technicalindicators';
import { ATR } from 'trading-signals';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { atrNode } from './atr.node.ts';

const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(atrNode, [
  { name: 'default period', rows },
  { name: 'period 1', params: { period: 1 }, rows },
  { name: 'period 5', params: { period: 5 }, rows },
]);

describe.skipIf(!sharedDataExists)('atr reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];
  const actual = column(
    runNode(
      atrNode,
      { period: 14 },
      bars.map((b) => [b]),
    ),
    0,
  );

  it('matches technicalindicators ATR(14) on every bar from index 14', () => {
    const expected = alignEnd(
      TiATR.calculate({
        period: 14,
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
      }),
      bars.length,
    );

    expectCloseSeries(actual, expected, { from: 14, rtol: 1e-9 });
  });

  it('converges to trading-signals ATR(14) once its different seed has decayed', () => {
    const reference = new ATR(14);
    const expected = bars.map((b) => reference.update(b, false));

    expectCloseSeries(actual, expected, { from: 400, rtol: 1e-6 });
  });
});
