import type { StrategyParam } from '@candleflow/strategy-dsl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSearch } from './plan-search';
import { enumerateGrid, gridSize } from './samplers/index';
import { buildSearchSpace, type SearchSpace } from './space';
import { MAX_GRID_COMBINATIONS, type RangeOverride, type SearchMethod } from './spec';

function space(
  params: StrategyParam[],
  constraints: string[] = [],
  ranges: Record<string, RangeOverride> = {},
): SearchSpace {
  const built = buildSearchSpace(params, constraints, ranges);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.space;
}

const int = (name: string, min: number, max: number, step?: number): StrategyParam => ({
  name,
  type: 'int',
  default: min,
  min,
  max,
  ...(step === undefined ? {} : { step }),
});

const plan = (s: SearchSpace, method: SearchMethod, trials = 200) =>
  planSearch(s, { method, trials, seed: 1 });

describe('planSearch: grid', () => {
  it('refuses a grid of a billion combinations with the count and steps that bring it under the limit', () => {
    const params = [int('fast', 1, 1000), int('slow', 1, 1000), int('atrLen', 1, 1000)];
    const result = plan(space(params), 'grid');
    if (result.ok) throw new Error('expected a refusal');
    const [issue] = result.issues;
    expect(issue?.path).toBe('method');
    expect(issue?.message).toContain('1,000,000,000 combinations');
    expect(issue?.message).toContain('250,000');
    expect(issue?.hint).toContain("method 'random' or 'bayesian'");
    // The suggested steps, applied, give a grid the limit allows.
    const steps = [...(issue?.hint ?? '').matchAll(/step (\d+(?:\.\d+)?) for '(\w+)'/g)];
    expect(steps.length).toBeGreaterThan(0);
    const ranges = Object.fromEntries(
      steps.map(([, step, name]) => [name as string, { step: Number(step) }]),
    );
    const coarser = space(params, [], ranges);
    expect(gridSize(coarser)).toBeLessThanOrEqual(MAX_GRID_COMBINATIONS);
    expect(plan(coarser, 'grid').ok).toBe(true);
  });

  it('suggests coarsening only the widest parameter when that is enough', () => {
    const result = plan(space([int('fast', 2, 50), int('slow', 1, 100_000)]), 'grid');
    if (result.ok) throw new Error('expected a refusal');
    expect(result.issues[0]?.hint).toMatch(
      /^Use larger steps: step \d+ for 'slow' \(\d+ values instead of 100000\); or/,
    );
  });

  it('asks for a step on a continuous range', () => {
    const result = plan(
      space([int('fast', 2, 10), { name: 'mult', type: 'number', default: 1, min: 0.5, max: 3 }]),
      'grid',
    );
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'ranges.mult.step' }] });
    if (!result.ok) expect(result.issues[0]?.hint).toContain("give 'mult' a step");
  });

  it('counts only the combinations that satisfy the constraints', () => {
    // fast 2..10, slow 5..15, fast < slow: for each fast, the slows above it.
    const result = plan(space([int('fast', 2, 10), int('slow', 5, 15)], ['fast < slow']), 'grid');
    let expected = 0;
    for (let fast = 2; fast <= 10; fast++) for (let slow = 5; slow <= 15; slow++) if (fast < slow) expected++;
    expect(result).toEqual({
      ok: true,
      trials: expected,
      gridSize: 99,
      warnings: [`${99 - expected} of the 99 combinations break the constraints and are skipped`],
    });
  });

  it('refuses constraints no combination satisfies, naming the ranges', () => {
    const result = plan(space([int('fast', 50, 100), int('slow', 10, 40)], ['fast < slow']), 'grid');
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'constraints' }] });
    if (!result.ok) {
      expect(result.issues[0]?.message).toContain("'fast < slow'");
      expect(result.issues[0]?.hint).toContain(
        "'fast' is searched over 50 to 100; 'slow' is searched over 10 to 40",
      );
    }
  });

  it('refuses a search with nothing to search', () => {
    expect(plan(space([int('fast', 2, 10)], [], { fast: { fixed: 5 } }), 'grid')).toMatchObject({
      ok: false,
      issues: [{ path: 'ranges' }],
    });
  });
});

describe('planSearch: random and Bayesian', () => {
  it('runs the budget over a continuous space', () => {
    const s = space([{ name: 'x', type: 'number', default: 0, min: 0, max: 1 }]);
    expect(plan(s, 'random', 500)).toEqual({ ok: true, trials: 500, gridSize: null, warnings: [] });
  });

  it('caps the trials at the distinct valid combinations, with a warning', () => {
    const s = space([int('fast', 2, 10), int('slow', 5, 15)], ['fast < slow']);
    const result = plan(s, 'bayesian', 1000);
    const valid = [...enumerateGrid(s)].length;
    expect(result).toMatchObject({ ok: true, trials: valid, gridSize: 99 });
    if (result.ok)
      expect(result.warnings[0]).toBe(
        `Only ${valid} distinct combinations exist that satisfy the constraints: running ${valid} trials instead of 1,000`,
      );
  });

  it('refuses constraints no draw can satisfy in a continuous space', () => {
    const s = space(
      [
        { name: 'a', type: 'number', default: 0, min: 0, max: 1 },
        { name: 'b', type: 'number', default: 5, min: 2, max: 3 },
      ],
      ['a > b'],
    );
    expect(plan(s, 'random')).toMatchObject({ ok: false, issues: [{ path: 'constraints' }] });
  });

  it('warns that a Bayesian budget within its random start is random search', () => {
    const result = plan(space([int('fast', 2, 100)]), 'bayesian', 8);
    expect(result.ok && result.warnings).toEqual([
      'Bayesian search starts with 10 random trials, so with 8 trials it is random search',
    ]);
  });
});

describe('grid size and enumeration (property)', () => {
  it('the grid size is the product of value counts, and the enumeration lists exactly the valid combinations', () => {
    const dimension = fc.record({
      min: fc.integer({ min: -5, max: 5 }),
      span: fc.integer({ min: 1, max: 6 }),
      step: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(dimension, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('<', '<=', '>', '!=', '=='),
        fc.boolean(),
        (dims, op, constrained) => {
          const params = dims.map((d, i) => int(`p${i}`, d.min, d.min + d.span, d.step));
          const constraints = constrained && params.length > 1 ? [`p0 ${op} p1`] : [];
          const s = space(params, constraints);
          const counts = dims.map((d) => Math.floor(d.span / d.step) + 1).filter((count) => count > 1);
          expect(gridSize(s)).toBe(counts.reduce((a, b) => a * b, 1));
          const listed = [...enumerateGrid(s)];
          // Brute force over the same values.
          const valuesOf = (i: number) =>
            Array.from(
              { length: Math.floor(dims[i]!.span / dims[i]!.step) + 1 },
              (_, k) => dims[i]!.min + k * dims[i]!.step,
            );
          let combos: Record<string, number>[] = [{}];
          dims.forEach((_, i) => {
            combos = combos.flatMap((c) => valuesOf(i).map((v) => ({ ...c, [`p${i}`]: v })));
          });
          const holds = (c: Record<string, number>) => {
            if (constraints.length === 0) return true;
            const [a, b] = [c.p0 as number, c.p1 as number];
            return { '<': a < b, '<=': a <= b, '>': a > b, '!=': a !== b, '==': a === b }[op];
          };
          expect(listed).toEqual(combos.filter(holds));
          const planned = plan(s, 'grid');
          if (s.dimensions.length === 0 || listed.length === 0) expect(planned.ok).toBe(false);
          else expect(planned).toMatchObject({ ok: true, trials: listed.length });
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
