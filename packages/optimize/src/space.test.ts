import type { StrategyParam } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { buildSearchSpace, type SearchSpace, type SpaceIssue, satisfiesConstraints, valueAt } from './space';
import type { RangeOverride } from './spec';

const EMA_CROSS: StrategyParam[] = [
  { name: 'fast', type: 'int', default: 12, min: 2, max: 10, step: 2 },
  { name: 'slow', type: 'int', default: 26, min: 5, max: 300 },
  { name: 'atrMult', type: 'number', default: 2, min: 1, max: 4, step: 0.5 },
  { name: 'trail', type: 'number', default: 0.1, min: 0, max: 1 },
  { name: 'useFilter', type: 'boolean', default: true },
  { name: 'mode', type: 'string', default: 'long', options: ['long', 'short', 'both'] },
  { name: 'label', type: 'string', default: 'x' },
  { name: 'lookback', type: 'int', default: 50 },
];

function space(
  params: StrategyParam[] = EMA_CROSS,
  constraints: string[] = [],
  ranges: Record<string, RangeOverride> = {},
): SearchSpace {
  const built = buildSearchSpace(params, constraints, ranges);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.space;
}

function issues(ranges: Record<string, RangeOverride>, constraints: string[] = []): SpaceIssue[] {
  const built = buildSearchSpace(EMA_CROSS, constraints, ranges);
  if (built.ok) throw new Error('expected the request to be refused');
  for (const issue of built.issues) {
    expect(issue.path).not.toBe('');
    expect(issue.message).not.toBe('');
    expect(issue.hint).toBeTruthy();
  }
  return built.issues;
}

describe('buildSearchSpace', () => {
  it('searches the declared ranges and steps, and holds parameters without one at their default', () => {
    const { dimensions, fixed } = space();
    const byName = Object.fromEntries(dimensions.map((d) => [d.name, d]));
    expect(byName.fast).toMatchObject({ kind: 'int', step: 2, size: 5, values: [2, 4, 6, 8, 10] });
    // int without a step moves in whole numbers; a number without one is continuous.
    expect(byName.slow).toMatchObject({ kind: 'int', step: 1, size: 296, min: 5, max: 300 });
    expect(byName.slow?.values?.slice(0, 3)).toEqual([5, 6, 7]);
    expect(byName.atrMult?.values).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(byName.trail).toMatchObject({
      kind: 'number',
      min: 0,
      max: 1,
      step: null,
      size: null,
      values: null,
    });
    expect(byName.useFilter).toMatchObject({ kind: 'categorical', values: [false, true], size: 2 });
    expect(byName.mode).toMatchObject({ kind: 'categorical', values: ['long', 'short', 'both'] });
    expect(fixed).toEqual({ label: 'x', lookback: 50 });
  });

  it('applies per-run ranges: narrower bounds, another step, a list of values, a fixed value', () => {
    const { dimensions, fixed } = space(EMA_CROSS, [], {
      slow: { min: 20, max: 40, step: 10 },
      atrMult: { values: [3, 1.5, 3, 2] },
      mode: { fixed: 'both' },
      lookback: { min: 10, max: 30, step: 5 },
      trail: { step: 0.25 },
    });
    const byName = Object.fromEntries(dimensions.map((d) => [d.name, d]));
    expect(byName.slow?.values).toEqual([20, 30, 40]);
    expect(byName.atrMult).toMatchObject({ kind: 'number', values: [1.5, 2, 3], size: 3, min: 1.5, max: 3 });
    expect(byName.lookback?.values).toEqual([10, 15, 20, 25, 30]);
    expect(byName.trail?.values).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(fixed.mode).toBe('both');
    expect(byName.mode).toBeUndefined();
  });

  it('keeps lattice values exact in decimal (0.1 step 0.1 to 0.3 is three values)', () => {
    const { dimensions } = space([
      { name: 'x', type: 'number', default: 0.1, min: 0.1, max: 0.3, step: 0.1 },
    ]);
    expect(dimensions[0]?.values).toEqual([0.1, 0.2, 0.3]);
  });

  it('holds a parameter whose range has one value: equal bounds, a step wider than the range, or one listed value', () => {
    const { dimensions, fixed } = space(EMA_CROSS, [], {
      slow: { min: 30, max: 30 },
      atrMult: { min: 1, max: 2, step: 5 },
      fast: { values: [4, 4] },
    });
    expect(fixed).toMatchObject({ slow: 30, atrMult: 1, fast: 4 });
    expect(dimensions.map((d) => d.name)).not.toContain('slow');
  });

  it('does not list a lattice too large to hold, but reads its values by index', () => {
    const { dimensions } = space([{ name: 'x', type: 'number', default: 0, min: 0, max: 10, step: 0.00001 }]);
    expect(dimensions[0]).toMatchObject({ size: 1_000_001, values: null });
    expect(valueAt(dimensions[0]!, 123_457)).toBe(1.23457);
  });

  it('names an unknown parameter, with the closest one', () => {
    const [issue] = issues({ slwo: { min: 10, max: 20 } });
    expect(issue).toMatchObject({ path: 'ranges.slwo', hint: "did you mean 'slow'?" });
    expect(issue?.message).toContain('no parameter of that name');
  });

  it('refuses an inverted range and says to swap it', () => {
    const [issue] = issues({ slow: { min: 50, max: 20 } });
    expect(issue?.path).toBe('ranges.slow.min');
    expect(issue?.message).toContain('inverted');
    expect(issue?.hint).toBe('swap them: { min: 20, max: 50 }');
  });

  it('refuses a range outside the declared bounds', () => {
    const found = issues({ slow: { min: 1, max: 400 } });
    expect(found.map((i) => i.path)).toEqual(['ranges.slow.min', 'ranges.slow.max']);
    expect(found[0]?.message).toContain('below its declared minimum 5');
    expect(found[1]?.message).toContain('above its declared maximum 300');
  });

  it('refuses values of the wrong type or outside the definition', () => {
    const found = issues({
      fast: { values: [4, 'six', 7.5] },
      atrMult: { fixed: 9 },
      useFilter: { min: 0, max: 1 },
      mode: { values: ['long', 'sideways'] },
    });
    expect(found.map((i) => i.path)).toEqual([
      'ranges.fast.values[1]',
      'ranges.fast.values[2]',
      'ranges.atrMult.fixed',
      'ranges.useFilter',
      'ranges.mode.values[1]',
    ]);
    expect(found[0]?.message).toContain('must be a number');
    expect(found[1]?.message).toContain('whole number');
    expect(found[2]?.message).toContain('at most 4');
    expect(found[3]?.message).toContain('numeric range (min, max, step) does not apply');
    expect(found[4]?.message).toContain("must be one of 'long', 'short', 'both'");
  });

  it('refuses a step that is not above zero and a fractional step for a whole number', () => {
    const found = issues({ atrMult: { step: 0 }, fast: { step: 0.5 } });
    expect(found.map((i) => i.path).sort()).toEqual(['ranges.atrMult.step', 'ranges.fast.step']);
  });

  it('asks for bounds when a parameter declared without them is given only a step', () => {
    const found = issues({ lookback: { step: 5 } });
    expect(found.map((i) => i.path)).toEqual(['ranges.lookback.min', 'ranges.lookback.max']);
  });

  it('refuses constraints it cannot read, that name unknown parameters, or that order text', () => {
    const found = issues({}, ['fast < slwo', 'fast <', 'mode > fast']);
    expect(found.map((i) => i.path)).toEqual(['constraints[0]', 'constraints[1]', 'constraints[2]']);
    expect(found[0]?.hint).toBe("did you mean 'slow'?");
    expect(found[1]?.message).toContain('cannot be read');
    expect(found[2]?.message).toContain("orders 'mode', which is not a number");
  });
});

describe('satisfiesConstraints', () => {
  it('reads searched values from the candidate and held ones from the space', () => {
    const s = space(EMA_CROSS, ['fast < slow', 'lookback >= 50'], {
      slow: { min: 5, max: 20 },
    });
    expect(satisfiesConstraints(s, { fast: 4, slow: 5 })).toBe(true);
    expect(satisfiesConstraints(s, { fast: 6, slow: 5 })).toBe(false);
    expect(satisfiesConstraints(s, { fast: 6, slow: 6 })).toBe(false);
    const held = space(EMA_CROSS, ['lookback > 60'], {});
    expect(satisfiesConstraints(held, { fast: 2, slow: 5 })).toBe(false);
  });
});
