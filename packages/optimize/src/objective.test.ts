import { describe, expect, it } from 'vitest';
import { describeObjective, PROFIT_FACTOR_CAP, scoreTrial } from './objective';
import type { TrialMetrics } from './report';
import { type ObjectiveSpec, ObjectiveSpecSchema } from './spec';

const METRICS: TrialMetrics = {
  sharpe: 1.2,
  sortino: 1.8,
  calmar: 0.9,
  totalReturnPct: 35,
  annualReturnPct: 18,
  profitFactor: 1.6,
  maxDrawdownPct: 20,
  trades: 42,
  winRatePct: 55,
  finalEquity: 13_500,
};

const objective = (input: unknown): ObjectiveSpec => ObjectiveSpecSchema.parse(input);

describe('scoreTrial', () => {
  it('scores each single metric', () => {
    expect(scoreTrial(METRICS, objective({ metric: 'sharpe' }))).toEqual({ value: 1.2, feasible: true });
    expect(scoreTrial(METRICS, objective({ metric: 'sortino' })).value).toBe(1.8);
    expect(scoreTrial(METRICS, objective({ metric: 'calmar' })).value).toBe(0.9);
    expect(scoreTrial(METRICS, objective({ metric: 'totalReturn' })).value).toBe(35);
    expect(scoreTrial(METRICS, objective({ metric: 'profitFactor' })).value).toBe(1.6);
  });

  it('sums a weighted mix', () => {
    const score = scoreTrial(
      METRICS,
      objective({ metric: 'weighted', weights: { sharpe: 0.5, calmar: 0.5, sortino: 0 } }),
    );
    expect(score.value).toBeCloseTo(0.5 * 1.2 + 0.5 * 0.9, 12);
    expect(score.feasible).toBe(true);
  });

  it('makes a trial infeasible when its metric is undefined, and says why', () => {
    const score = scoreTrial({ ...METRICS, sharpe: null }, objective({ metric: 'sharpe' }));
    expect(score).toEqual({
      value: null,
      feasible: false,
      reason: 'the Sharpe ratio is undefined (flat equity or too few bars)',
    });
    const mixed = scoreTrial(
      { ...METRICS, calmar: null },
      objective({ metric: 'weighted', weights: { sharpe: 1, calmar: 1 } }),
    );
    expect(mixed).toMatchObject({ value: null, feasible: false });
    expect(mixed.reason).toContain('Calmar');
  });

  it('makes a trial with too few trades or too deep a drawdown infeasible, keeping its value for the table', () => {
    expect(scoreTrial({ ...METRICS, trades: 12 }, objective({ metric: 'sharpe', minTrades: 30 }))).toEqual({
      value: 1.2,
      feasible: false,
      reason: '12 trades, fewer than the minimum 30',
    });
    expect(
      scoreTrial({ ...METRICS, maxDrawdownPct: 34.234 }, objective({ metric: 'sharpe', maxDrawdownPct: 25 })),
    ).toEqual({
      value: 1.2,
      feasible: false,
      reason: 'maximum drawdown 34.23%, deeper than the limit 25%',
    });
    expect(
      scoreTrial(METRICS, objective({ metric: 'sharpe', minTrades: 42, maxDrawdownPct: 20 })).feasible,
    ).toBe(true);
  });

  it('caps the profit factor, and scores a trial without a losing trade at the cap', () => {
    const pf = objective({ metric: 'profitFactor' });
    expect(scoreTrial({ ...METRICS, profitFactor: 250 }, pf).value).toBe(PROFIT_FACTOR_CAP);
    expect(scoreTrial({ ...METRICS, profitFactor: null, winRatePct: 100 }, pf)).toEqual({
      value: PROFIT_FACTOR_CAP,
      feasible: true,
    });
    // No trades, or only break-even ones: there is no factor at all.
    expect(scoreTrial({ ...METRICS, profitFactor: null, trades: 0, winRatePct: null }, pf).feasible).toBe(
      false,
    );
    expect(scoreTrial({ ...METRICS, profitFactor: null, winRatePct: 0 }, pf).value).toBeNull();
  });
});

describe('describeObjective', () => {
  it('names a metric or spells out a weighted mix', () => {
    expect(describeObjective(objective({ metric: 'sharpe' }))).toBe('Sharpe ratio');
    expect(describeObjective(objective({ metric: 'totalReturn' }))).toBe('Total return (%)');
    expect(describeObjective(objective({ metric: 'weighted', weights: { sharpe: 0.5, calmar: 0.5 } }))).toBe(
      '0.5×Sharpe + 0.5×Calmar',
    );
    expect(
      describeObjective(
        objective({ metric: 'weighted', weights: { sortino: 1, profitFactor: -0.2, calmar: 0 } }),
      ),
    ).toBe('1×Sortino − 0.2×Profit factor');
  });
});
