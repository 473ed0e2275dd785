// The verdicts' thresholds: each boundary value lands on the side the stated rule says, and every rule
// names the numbers it uses.
import { describe, expect, it } from 'vitest';
import {
  DSR_THRESHOLDS,
  deflatedSharpeVerdict,
  formatProbability,
  PBO_THRESHOLDS,
  pboVerdict,
  RUIN_THRESHOLDS,
  ruinVerdict,
  WFE_THRESHOLDS,
  walkForwardVerdict,
} from './verdicts';

describe('deflated Sharpe verdict', () => {
  it('calls 95% and above a likely real edge, 50–95% inconclusive, below 50% likely overfit', () => {
    expect(deflatedSharpeVerdict(0.99).tone).toBe('good');
    expect(deflatedSharpeVerdict(DSR_THRESHOLDS.real).label).toBe('likely a real edge');
    expect(deflatedSharpeVerdict(0.9499).label).toBe('inconclusive');
    expect(deflatedSharpeVerdict(DSR_THRESHOLDS.doubtful).tone).toBe('warn');
    expect(deflatedSharpeVerdict(0.4999).label).toBe('likely overfit');
    expect(deflatedSharpeVerdict(0).tone).toBe('bad');
  });

  it('states its thresholds in the rule', () => {
    expect(deflatedSharpeVerdict(0.7).rule).toContain('95.0%');
    expect(deflatedSharpeVerdict(0.7).rule).toContain('50.0%');
  });
});

describe('probability of backtest overfitting verdict', () => {
  it('calls below 10% low risk, 10–50% some risk and 50% or more likely overfit', () => {
    expect(pboVerdict(0.05).tone).toBe('good');
    expect(pboVerdict(PBO_THRESHOLDS.low).tone).toBe('warn');
    expect(pboVerdict(0.4999).label).toBe('some risk of overfitting');
    expect(pboVerdict(PBO_THRESHOLDS.high).label).toBe('likely overfit');
    expect(pboVerdict(0.9).tone).toBe('bad');
    expect(pboVerdict(0.3).rule).toMatch(/10\.0%.*50\.0%/);
  });
});

describe('walk-forward efficiency verdict', () => {
  it('holds up from 50%, is weaker between 0 and 50%, and fails below 0', () => {
    expect(walkForwardVerdict(WFE_THRESHOLDS.robust).tone).toBe('good');
    expect(walkForwardVerdict(1.3).tone).toBe('good');
    expect(walkForwardVerdict(0.49).tone).toBe('warn');
    expect(walkForwardVerdict(WFE_THRESHOLDS.weak).tone).toBe('warn');
    expect(walkForwardVerdict(-0.01).label).toBe('fails out of sample');
  });
});

describe('probability of ruin verdict', () => {
  it('is rare below 1%, possible up to 5%, too likely from 5%', () => {
    expect(ruinVerdict(0.009).tone).toBe('good');
    expect(ruinVerdict(RUIN_THRESHOLDS.low).tone).toBe('warn');
    expect(ruinVerdict(RUIN_THRESHOLDS.high).tone).toBe('bad');
  });
});

describe('formatProbability', () => {
  it('keeps two decimals for small non-zero probabilities so they do not read as zero', () => {
    expect(formatProbability(0.004)).toBe('0.40%');
    expect(formatProbability(0)).toBe('0.0%');
    expect(formatProbability(0.3127)).toBe('31.3%');
  });
});
