// ADX: the node contract, and agreement with technicalindicators' ADX (Wilder; DM and TR from the second
// bar; ADX first at index 2·period − 1, as TA-Lib) for ADX, +DI and −DI on GOOG daily bars.
// trading-signals' ADX counts the first bar with zero movement, so it is not an exact reference here.
import { ADX } from 'technicalindicators';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { adxNode } from './adx.node.ts';

const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(adxNode, [
  { name: 'default period', rows },
  { name: 'period 3', params: { period: 3 }, rows },
]);

describe.skipIf(!sharedDataExists)('adx reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];

  for (const period of [14, 7]) {
    it(`matches technicalindicators ADX(${period}), +DI and −DI from index ${2 * period - 1}`, () => {
      const reference = ADX.calculate({
        period,
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
      });
      const expected = alignEnd(reference, bars.length);
      const from = 2 * period - 1;

      const outputs = runNode(
        adxNode,
        { period },
        bars.map((b) => [b]),
      );

      expectCloseSeries(
        column(outputs, 0),
        expected.map((r) => r?.adx),
        { from, rtol: 1e-9 },
      );
      expectCloseSeries(
        column(outputs, 1),
        expected.map((r) => r?.pdi),
        { from, rtol: 1e-9, atol: 1e-9 },
      );
      expectCloseSeries(
        column(outputs, 2),
        expected.map((r) => r?.mdi),
        { from, rtol: 1e-9, atol: 1e-9 },
      );
    });
  }
});
