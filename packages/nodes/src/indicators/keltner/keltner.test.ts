// Keltner channel: the node contract, and agreement with a reference composed from technicalindicators:
// its EMA (SMA-seeded) of the typical price ± multiplier × its ATR. Both libraries' own Keltner channels
// centre on the EMA of the close, not the typical price this node uses, so they are not used directly.
import type { Bar } from '@candleflow/strategy-dsl';
import { ATR, EMA } from 'technicalindicators';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { keltnerNode } from './keltner.node.ts';

const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(keltnerNode, [
  { name: 'defaults 20/10/2', rows },
  { name: 'ATR longer than the EMA', params: { period: 5, atrPeriod: 12, multiplier: 1.5 }, rows },
]);

describe.skipIf(!sharedDataExists)('keltner reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];

  it('matches EMA(20) of the typical price ± 2 × ATR(10) from technicalindicators, from index 19', () => {
    const typical = bars.map((b: Bar) => (b.high + b.low + b.close) / 3);
    const ema = alignEnd(EMA.calculate({ period: 20, values: typical }), bars.length);
    const atr = alignEnd(
      ATR.calculate({
        period: 10,
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
      }),
      bars.length,
    );
    const band = (sign: number) =>
      ema.map((m, i) => (m === null || atr[i] === null ? null : m + sign * 2 * (atr[i] as number)));

    const outputs = runNode(
      keltnerNode,
      {},
      bars.map((b) => [b]),
    );

    expectCloseSeries(column(outputs, 0), band(1), { from: 19, rtol: 1e-9 });
    expectCloseSeries(column(outputs, 1), ema, { from: 19, rtol: 1e-9 });
    expectCloseSeries(column(outputs, 2), band(-1), { from: 19, rtol: 1e-9 });
  });
});
