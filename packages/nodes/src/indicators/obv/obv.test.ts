// OBV: the node contract, and agreement with technicalindicators' OBV on GOOG daily bars (it starts at the
// second bar; the node reports 0 on the first, so the reference is shifted by one).
import { OBV } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { obvNode } from './obv.node.ts';

runIndicatorContract(obvNode, [{ name: 'synthetic bars', rows: syntheticBars(120).map((b) => [b]) }]);

describe.skipIf(!sharedDataExists)('obv reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];

  it('matches technicalindicators OBV on every bar', () => {
    const reference = OBV.calculate({ close: bars.map((b) => b.close), volume: bars.map((b) => b.volume) });
    expect(reference.length).toBe(bars.length - 1);
    const expected = [0, ...reference];

    const actual = column(
      runNode(
        obvNode,
        {},
        bars.map((b) => [b]),
      ),
      0,
    );

    expectCloseSeries(actual, expected, { from: 0, rtol: 1e-9 });
  });
});
