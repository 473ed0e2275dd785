// Standard deviation: the node contract, and agreement with technicalindicators' SD (population) on GOOG
// daily closes and on 1-minute BTC closes (prices near 0.0016 with a tiny spread test numerical care).
import { SD } from 'technicalindicators';
import { describe, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { stddevNode } from './stddev.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(stddevNode, [
  { name: 'default period', rows },
  { name: 'period 2', params: { period: 2 }, rows },
]);

describe.skipIf(!sharedDataExists)('stddev reference values', () => {
  for (const file of ['GOOG.csv', 'UNITTEST_BTC-1m.csv']) {
    it(`matches technicalindicators SD(20) on ${file} closes`, () => {
      const prices = closes(readSharedBars(file));
      const expected = alignEnd(SD.calculate({ period: 20, values: prices }), prices.length);

      const actual = column(
        runNode(
          stddevNode,
          { period: 20 },
          prices.map((x) => [x]),
        ),
        0,
      );

      expectCloseSeries(actual, expected, { from: 19, rtol: 1e-7, atol: 1e-15 });
    });
  }
});
