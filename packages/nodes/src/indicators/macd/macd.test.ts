// MACD: the node contract, the fast < slow check, and agreement with technicalindicators' MACD (EMA
// oscillator and EMA signal, both SMA-seeded like the node) on GOOG daily closes.
import { MACD } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { macdNode } from './macd.node.ts';

const rows = closes(syntheticBars(120)).map((x) => [x]);
runIndicatorContract(macdNode, [
  { name: 'defaults 12/26/9', rows },
  { name: 'short 3/7/4', params: { fast: 3, slow: 7, signal: 4 }, rows },
]);

describe('macd parameter check', () => {
  it('refuses a fast period that is not shorter than the slow one', () => {
    const issues = macdNode.check?.(macdNode.params.parse({ fast: 26, slow: 12 }), { connected: new Set() });

    expect(issues).toEqual([expect.objectContaining({ code: 'INVALID_PARAM', param: 'fast' })]);
  });
});

describe.skipIf(!sharedDataExists)('macd reference values (GOOG daily closes)', () => {
  const prices = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];

  it('matches technicalindicators MACD(12, 26, 9) line, signal and histogram from index 33', () => {
    const reference = MACD.calculate({
      values: prices,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    const expected = alignEnd(reference, prices.length);

    const outputs = runNode(
      macdNode,
      {},
      prices.map((x) => [x]),
    );

    expectCloseSeries(
      column(outputs, 0),
      expected.map((r) => r?.MACD),
      { from: 33, rtol: 1e-9 },
    );
    expectCloseSeries(
      column(outputs, 1),
      expected.map((r) => r?.signal),
      { from: 33, rtol: 1e-9 },
    );
    expectCloseSeries(
      column(outputs, 2),
      expected.map((r) => r?.histogram),
      { from: 33, rtol: 1e-9, atol: 1e-9 },
    );
  });
});
