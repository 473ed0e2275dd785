import { RiskSettingsSchema } from '@candleflow/strategy-dsl';
// The one place the web may import the engine: a test, to keep the studio's copy of the defaults honest.
import { SUGGESTED_RISK } from '@candleflow/engine';
import { describe, expect, it } from 'vitest';
import {
  RISK_FIELDS,
  parseRiskInput,
  riskErrors,
  SUGGESTED_RISK_LIMITS,
  withRiskField,
} from './risk-settings';

describe('risk settings', () => {
  it('suggests exactly the engine’s SUGGESTED_RISK', () => {
    expect(SUGGESTED_RISK_LIMITS).toEqual(SUGGESTED_RISK);
  });

  it('suggests limits the graph schema accepts', () => {
    expect(RiskSettingsSchema.safeParse(SUGGESTED_RISK_LIMITS).success).toBe(true);
  });

  it('has one field with a hint for every setting of the schema', () => {
    expect(RISK_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(RiskSettingsSchema.shape).sort());
    for (const f of RISK_FIELDS) expect(f.hint.length).toBeGreaterThan(10);
  });

  it('treats a blank field as no cap and keeps unparsable text as a refusal', () => {
    expect(parseRiskInput('  ')).toBeUndefined();
    expect(parseRiskInput('2.5')).toBe(2.5);
    expect(riskErrors({ riskPerTradePct: parseRiskInput('abc') }).riskPerTradePct).toMatch(/enter a number/);
  });

  it('sets and removes one field, and drops the object when nothing is left', () => {
    const one = withRiskField(undefined, 'maxDrawdownPct', 20);
    expect(one).toEqual({ maxDrawdownPct: 20 });
    expect(withRiskField(one, 'cooldownBars', 3)).toEqual({ maxDrawdownPct: 20, cooldownBars: 3 });
    expect(withRiskField(one, 'maxDrawdownPct', undefined)).toBeUndefined();
  });

  it('explains each kind of refusal in words, per field', () => {
    const errors = riskErrors({ riskPerTradePct: 0, dailyLossLimitPct: 150, cooldownBars: 1.5 });
    expect(errors.riskPerTradePct).toMatch(/Risk per trade %: must be above 0/);
    expect(errors.dailyLossLimitPct).toMatch(/at most 100/);
    expect(errors.cooldownBars).toMatch(/whole number of bars/);
    expect(riskErrors({ cooldownBars: -1 }).cooldownBars).toMatch(/0 or more bars/);
    expect(riskErrors(undefined)).toEqual({});
  });
});
