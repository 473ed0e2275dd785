// Stochastic: the node contract, and agreement with trading-signals' StochasticOscillator (fast and slow
// %K) and technicalindicators' Stochastic (fast %K) on GOOG daily bars.
import { Stochastic } from 'technicalindicators';
import { StochasticOscillator } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { alignEnd, expectCloseSeries } from '../../test-support/expect-close';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { readSharedBars, sharedDataExists, syntheticBars } from '../../test-support/market-data';
import { column, runNode } from '../../test-support/run-node';
import { stochasticNode } from './stochastic.node.ts';

const rows = syntheticBars(120).map((b) => [b]);
runIndicatorContract(stochasticNode, [
  { name: 'defaults 14/1/3', rows },
  { name: 'slow 14/3/3', params: { kSmoothing: 3 }, rows },
  { name: 'tiny 1/1/1', params: { kPeriod: 1, kSmoothing: 1, dPeriod: 1 }, rows },
]);

describe('stochastic edge cases', () => {
  it('reads 0 for a flat range instead of dividing by zero', () => {
    const flat = { time: 0, open: 5, high: 5, low: 5, close: 5, volume: 1 };

    const outputs = runNode(stochasticNode, { kPeriod: 2, dPeriod: 1 }, [[flat], [flat], [flat]]);

    expect(column(outputs, 0)).toEqual([null, 0, 0]);
  });
});

describe.skipIf(!sharedDataExists)('stochastic reference values (GOOG daily bars)', () => {
  const bars = sharedDataExists ? readSharedBars('GOOG.csv') : [];

  for (const kSmoothing of [1, 3]) {
    it(`matches trading-signals StochasticOscillator(14, ${kSmoothing}, 3) %K and %D`, () => {
      const reference = new StochasticOscillator({ kPeriod: 14, kSlowingPeriod: kSmoothing, dPeriod: 3 });
      const expected = bars.map((b) => reference.update(b, false));
      const from = 13 + kSmoothing - 1 + 2;

      const outputs = runNode(
        stochasticNode,
        { kSmoothing },
        bars.map((b) => [b]),
      );

      expectCloseSeries(
        column(outputs, 0),
        expected.map((r) => r?.stochK),
        { from, rtol: 1e-9, atol: 1e-9 },
      );
      expectCloseSeries(
        column(outputs, 1),
        expected.map((r) => r?.stochD),
        { from, rtol: 1e-9, atol: 1e-9 },
      );
    });
  }

  it('matches technicalindicators Stochastic(14, 3) %K and %D', () => {
    const reference = Stochastic.calculate({
      period: 14,
      signalPeriod: 3,
      high: bars.map((b) => b.high),
      low: bars.map((b) => b.low),
      close: bars.map((b) => b.close),
    });
    const expected = alignEnd(reference, bars.length);

    const outputs = runNode(
      stochasticNode,
      {},
      bars.map((b) => [b]),
    );

    expectCloseSeries(
      column(outputs, 0),
      expected.map((r) => r?.k),
      { from: 15, rtol: 1e-9, atol: 1e-9 },
    );
    expectCloseSeries(
      column(outputs, 1),
      expected.map((r) => r?.d),
      { from: 15, rtol: 1e-9, atol: 1e-9 },
    );
  });
});
