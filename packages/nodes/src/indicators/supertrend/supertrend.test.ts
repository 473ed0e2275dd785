// Supertrend: the node contract, and agreement with trading-signals' SuperTrend on GOOG daily bars.
// trading-signals' ATR counts the first bar's high − low as a true range; the node starts true ranges at
// the second bar. Feeding trading-signals the bars from the second one on, with that first bar's high and
// low widened to its true range (max(high, previous close), min(low, previous close)), makes both use the
// same true ranges, so the comparison is exact: reference step j is node step j + 1.
import type { Bar } from '@candleflow/strategy-dsl';
import { SuperTrend, TradingSignal } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { supertrendNode } from './supertrend.node.ts';

const rows = syntheticBars(150).map((b) => [b]);
runIndicatorContract(supertrendNode, [
  { name: 'defaults 10/3', rows },
  { name: 'tight 3/1', params: { period: 3, multiplier: 1 }, rows },
]);

describe.skipIf(!sharedDataExists)('supertrend reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];

  for (const [period, multiplier] of [
    [10, 3],
    [7, 1.5],
  ] as const) {
    it(`matches trading-signals SuperTrend(${period}, ${multiplier}) line and direction from index ${period}`, () => {
      const [first, second] = bars as [Bar, Bar];
      const widened: Bar = {
        ...second,
        high: Math.max(second.high, first.close),
        low: Math.min(second.low, first.close),
      };
      // The widened bar's own hl2 is never used: the reference's first line comes `period` bars later.
      const reference = new SuperTrend({ interval: period, multiplier });
      const results = [widened, ...bars.slice(2)].map((b) => reference.update(b, false));
      const expected = [null, ...results];

      const outputs = runNode(
        supertrendNode,
        { period, multiplier },
        bars.map((b) => [b]),
      );

      expectCloseSeries(
        column(outputs, 0),
        expected.map((r) => r?.supertrend),
        { from: period, rtol: 1e-9 },
      );
      const directions = outputs.slice(period).map((row) => row[1]);
      const expectedDirections = expected.slice(period).map((r) => r?.trend === TradingSignal.BULLISH);
      expect(directions).toEqual(expectedDirections);
      expect(new Set(directions).size, 'the data should contain both trends').toBe(2);
    });
  }
});
