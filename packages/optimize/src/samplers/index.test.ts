import type { StrategyParam } from '@candleflow/strategy-dsl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSearchSpace, type SearchSpace, satisfiesConstraints } from '../space';
import { type ParamSet, SEARCH_METHODS } from '../spec';
import { createSampler, enumerateGrid, type Sampler } from './index';

function space(params: StrategyParam[], constraints: string[] = []): SearchSpace {
  const built = buildSearchSpace(params, constraints, {});
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.space;
}

const int = (name: string, min: number, max: number, step = 1): StrategyParam => ({
  name,
  type: 'int',
  default: min,
  min,
  max,
  step,
});

const key = (params: ParamSet) =>
  JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));

/** Asks in batches, telling a made-up result for each, until the sampler has nothing more or `limit` is reached. */
function drain(sampler: Sampler, batch: number, limit = 10_000): ParamSet[] {
  const all: ParamSet[] = [];
  while (all.length < limit) {
    const asked = sampler.ask(Math.min(batch, limit - all.length));
    if (asked.length === 0) break;
    sampler.tell(asked.map((params, i) => ({ params, value: i % 3 === 0 ? null : all.length + i })));
    all.push(...asked);
  }
  return all;
}

describe('createSampler', () => {
  it('grid asks every valid combination once, in the enumeration order, then nothing', () => {
    const s = space(
      [int('fast', 2, 6, 2), int('slow', 3, 7, 2), { name: 'trend', type: 'boolean', default: true }],
      ['fast < slow'],
    );
    const asked = drain(createSampler(s, 'grid', { seed: 1, budget: 0 }), 4);
    expect(asked).toEqual([...enumerateGrid(s)]);
    expect(asked.slice(0, 3)).toEqual([
      { fast: 2, slow: 3, trend: false },
      { fast: 2, slow: 3, trend: true },
      { fast: 2, slow: 5, trend: false },
    ]);
  });

  it('does not ask again for results told before they were asked (a resumed run)', () => {
    const s = space([int('x', 1, 6)]);
    for (const method of SEARCH_METHODS) {
      const sampler = createSampler(s, method, { seed: 2, budget: 6 });
      sampler.tell([
        { params: { x: 2 }, value: 1 },
        { params: { x: 5 }, value: null },
      ]);
      expect(
        drain(sampler, 2)
          .map((p) => p.x)
          .sort(),
        method,
      ).toEqual([1, 3, 4, 6]);
    }
  });

  it('random search repeats itself for a seed and draws the lattice uniformly', () => {
    const s = space([int('x', 0, 9)]);
    const first = (seed: number) => createSampler(s, 'random', { seed, budget: 10 }).ask(3);
    expect(first(7)).toEqual(first(7));
    expect(first(7)).not.toEqual(first(8));
    const counts = new Array(10).fill(0);
    for (let seed = 0; seed < 4000; seed++) counts[first(seed)[0]?.x as number]++;
    // 400 expected per value; 5 standard deviations is about ±95.
    for (const count of counts) expect(Math.abs(count - 400)).toBeLessThan(95);
  });

  it('random search over a continuous range stays inside it and spreads over it', () => {
    const s = space([{ name: 'mult', type: 'number', default: 1, min: 0.5, max: 3 }]);
    const values = createSampler(s, 'random', { seed: 4, budget: 2000 })
      .ask(2000)
      .map((p) => p.mult as number);
    expect(new Set(values).size).toBe(2000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...values)).toBeLessThanOrEqual(3);
    expect(values.filter((v) => v < 1.75).length / 2000).toBeCloseTo(0.5, 1);
  });

  it('never asks a duplicate or a constraint violator, and finite searches end with exactly the valid combinations (property)', () => {
    const param = fc.oneof(
      fc.record({
        kind: fc.constant('int' as const),
        min: fc.integer({ min: 0, max: 6 }),
        span: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({ kind: fc.constant('options' as const), count: fc.integer({ min: 2, max: 3 }) }),
      fc.record({
        kind: fc.constant('number' as const),
        min: fc.integer({ min: 0, max: 6 }),
        span: fc.integer({ min: 1, max: 8 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(param, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...SEARCH_METHODS),
        fc.constantFrom('<', '<=', '!=', '>'),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1000 }),
        (shapes, method, op, batch, seed) => {
          const params: StrategyParam[] = shapes.map((shape, i) =>
            shape.kind === 'options'
              ? {
                  name: `p${i}`,
                  type: 'string',
                  default: 'o0',
                  options: Array.from({ length: shape.count }, (_, k) => `o${k}`),
                }
              : {
                  name: `p${i}`,
                  type: shape.kind,
                  default: shape.min,
                  min: shape.min,
                  max: shape.min + shape.span,
                },
          );
          const numeric = params.filter((p) => p.type !== 'string').map((p) => p.name);
          const constraints = numeric.length >= 2 ? [`${numeric[0]} ${op} ${numeric[1]}`] : [];
          const s = space(params, constraints);
          const continuous = s.dimensions.some((d) => d.size === null);
          if (method === 'grid' && continuous) return;
          const asked = drain(
            createSampler(s, method, { seed, budget: 40 }),
            batch,
            continuous ? 60 : 10_000,
          );
          expect(new Set(asked.map(key)).size).toBe(asked.length);
          for (const p of asked) expect(satisfiesConstraints(s, p)).toBe(true);
          if (!continuous) expect(asked.map(key).sort()).toEqual([...enumerateGrid(s)].map(key).sort());
          else expect(asked).toHaveLength(60);
        },
      ),
      { seed: 7, numRuns: 150 },
    );
  });
});
