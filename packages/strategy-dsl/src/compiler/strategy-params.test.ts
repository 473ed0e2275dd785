import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../errors';
import type { StrategyParam } from '../graph';
import { checkConstraints, parseConstraint, resolveStrategyParams } from './strategy-params';

function resolve(declared: StrategyParam[], overrides: Record<string, number | string | boolean> = {}) {
  const diagnostics: Diagnostic[] = [];
  const values = resolveStrategyParams(declared, overrides, diagnostics);
  return { values: Object.fromEntries(values), diagnostics };
}

function check(constraints: string[], values: Record<string, number | string | boolean>) {
  const diagnostics: Diagnostic[] = [];
  checkConstraints(constraints, new Set(Object.keys(values)), new Map(Object.entries(values)), diagnostics);
  return diagnostics;
}

describe('resolveStrategyParams', () => {
  it('takes defaults and overrides, reading command-line text as numbers and booleans', () => {
    const { values, diagnostics } = resolve(
      [
        { name: 'fast', type: 'int', default: 10 },
        { name: 'mult', type: 'number', default: 1.5 },
        { name: 'short', type: 'boolean', default: false },
        { name: 'mode', type: 'string', default: 'a', options: ['a', 'b'] },
      ],
      { fast: '12', short: 'true', mode: 'b' },
    );

    expect(diagnostics).toEqual([]);
    expect(values).toEqual({ fast: 12, mult: 1.5, short: true, mode: 'b' });
  });

  it('reports text that is not a number, an option outside the list and a wrongly typed default', () => {
    const { values, diagnostics } = resolve(
      [
        { name: 'fast', type: 'int', default: 10 },
        { name: 'mode', type: 'string', default: 'a', options: ['a', 'b'] },
        { name: 'short', type: 'boolean', default: 1 },
      ],
      { fast: 'ten', mode: 'c' },
    );

    expect(diagnostics.map((d) => [d.code, d.param, d.message])).toEqual([
      [
        'INVALID_STRATEGY_PARAM',
        'fast',
        "The value given for strategy parameter 'fast' must be a number (got 'ten')",
      ],
      [
        'INVALID_STRATEGY_PARAM',
        'mode',
        "The value given for strategy parameter 'mode' must be one of 'a', 'b' (got 'c')",
      ],
      [
        'INVALID_STRATEGY_PARAM',
        'short',
        "The default of strategy parameter 'short' must be true or false (got 1)",
      ],
    ]);
    expect(values).toEqual({});
  });

  it('reports a parameter declared twice and a range whose min is above its max', () => {
    const { diagnostics } = resolve([
      { name: 'fast', type: 'int', default: 10, min: 20, max: 5 },
      { name: 'fast', type: 'int', default: 3 },
    ]);

    expect(diagnostics.map((d) => d.message)).toEqual([
      "The strategy parameter 'fast' has min 20 above max 5",
      "The strategy parameter 'fast' is declared twice",
      "The default of strategy parameter 'fast' must be at least 20 (got 10)",
    ]);
  });

  it('lists the declared parameters when an override names none of them closely', () => {
    const { diagnostics } = resolve([{ name: 'fast', type: 'int', default: 1 }], { zzzzzzzz: 1 });

    expect(diagnostics[0]).toMatchObject({
      code: 'UNKNOWN_STRATEGY_PARAM',
      hint: "the strategy's parameters are: fast",
    });
  });
});

describe('parseConstraint', () => {
  it('reads names, numbers and every operator', () => {
    expect(parseConstraint('fast < slow')).toEqual({
      left: { name: 'fast' },
      op: '<',
      right: { name: 'slow' },
    });
    expect(parseConstraint(' atrMult>=1.5 ')).toEqual({
      left: { name: 'atrMult' },
      op: '>=',
      right: { literal: 1.5 },
    });
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) expect(parseConstraint(`-2 ${op} x`)?.op).toBe(op);
  });

  it('rejects anything else', () => {
    for (const text of ['fast', 'fast < slow < x', 'fast = slow', 'fast + 1 < slow', '']) {
      expect(parseConstraint(text), text).toBeNull();
    }
  });
});

describe('checkConstraints', () => {
  it('evaluates each operator against the values', () => {
    const values = { a: 1, b: 2 };
    const cases: [string, boolean][] = [
      ['a < b', true],
      ['b < a', false],
      ['a <= 1', true],
      ['a > b', false],
      ['b >= 3', false],
      ['a == 1', true],
      ['a != 1', false],
    ];
    for (const [text, holds] of cases) expect(check([text], values).length, text).toBe(holds ? 0 : 1);
  });

  it('compares text and true/false parameters only for equality', () => {
    expect(check(['mode == mode'], { mode: 'x' })).toEqual([]);
    expect(check(['on != off'], { on: true, off: false })).toEqual([]);
    expect(check(['mode < other'], { mode: 'x', other: 'y' })[0]!.code).toBe('INVALID_CONSTRAINT');
  });

  it('reports a constraint that names an undeclared parameter', () => {
    const [d] = check(['fsat < slow'], { fast: 1, slow: 2 });

    expect(d).toMatchObject({ code: 'UNKNOWN_STRATEGY_PARAM', param: 'fsat', hint: "did you mean 'fast'?" });
  });
});
