import type { StrategyParam } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import {
  constraintError,
  newStrategyParam,
  retypeStrategyParam,
  strategyParamErrors,
} from './strategy-params';

describe('strategy params', () => {
  const fast: StrategyParam = { name: 'fast', type: 'int', default: 12, min: 2, max: 50, step: 1 };

  it('accepts a valid declaration and names what is wrong with bad ones', () => {
    expect(strategyParamErrors([fast])).toEqual([{}]);
    const [dupA, dupB] = strategyParamErrors([fast, fast]);
    expect(dupA).toEqual({});
    expect(dupB?.name).toMatch(/declared twice/);
    expect(strategyParamErrors([{ ...fast, default: 60 }])[0]?.default).toMatch(/above the maximum 50/);
    expect(
      strategyParamErrors([{ ...fast, default: 1.5, min: undefined } as StrategyParam])[0]?.default,
    ).toMatch(/whole-number/);
    expect(strategyParamErrors([{ ...fast, name: '1bad' }])[0]?.name).toBeDefined();
    expect(strategyParamErrors([{ ...fast, min: 10, max: 5, default: 7 }])[0]?.max).toMatch(
      /below the minimum/,
    );
  });

  it('checks constraints parse and name declared params', () => {
    expect(constraintError('fast < slow', [fast, { ...fast, name: 'slow' }])).toBeNull();
    expect(constraintError('fast < slow', [fast])).toMatch(/“slow” is not a declared/);
    expect(constraintError('fast <', [fast])).toMatch(/is not a constraint/);
    expect(constraintError('fast >= 3', [fast])).toBeNull();
  });

  it('adds params with free names and retypes them with a fitting default', () => {
    expect(newStrategyParam([]).name).toBe('param');
    expect(newStrategyParam([{ ...fast, name: 'param' }]).name).toBe('param_2');
    expect(retypeStrategyParam(fast, 'boolean')).toEqual({ name: 'fast', type: 'boolean', default: false });
    expect(retypeStrategyParam({ ...fast, default: 2.6 }, 'int').default).toBe(3);
    expect(retypeStrategyParam(fast, 'string').default).toBe('');
  });
});
