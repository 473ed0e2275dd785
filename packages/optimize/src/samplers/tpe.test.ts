import { describe, expect, it } from 'vitest';
import { buildSearchSpace, type SearchSpace } from '../space';
import type { SearchMethod } from '../spec';
import { percentile } from '../stats';
import { createSampler } from './index';
import { goodCount, startupTrials } from './tpe';

function space(...args: Parameters<typeof buildSearchSpace>): SearchSpace {
  const built = buildSearchSpace(...args);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.space;
}

/** Branin-Hoo: three global minima of 0.397887 on x1 ∈ [-5, 10], x2 ∈ [0, 15]. */
function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
const BRANIN_MINIMUM = 0.397887;

const BRANIN_SPACE = space(
  [
    { name: 'x1', type: 'number', default: 0, min: -5, max: 10 },
    { name: 'x2', type: 'number', default: 0, min: 0, max: 15 },
  ],
  [],
  {},
);

/** Evaluations until one is within 1% of the minimum (maximising −branin); `cap` when none is. */
function evaluationsToTarget(method: SearchMethod, seed: number, cap: number): number {
  const sampler = createSampler(BRANIN_SPACE, method, { seed, budget: cap });
  let evaluations = 0;
  while (evaluations < cap) {
    const [params] = sampler.ask(1);
    if (params === undefined) throw new Error('the sampler ran dry on a continuous space');
    const value = branin(params.x1 as number, params.x2 as number);
    evaluations++;
    if (value <= BRANIN_MINIMUM * 1.01) return evaluations;
    sampler.tell([{ params, value: -value }]);
  }
  return cap;
}

describe('TPE sampler', () => {
  it('reaches 1% of the Branin minimum in at most a third of the evaluations random search needs (median of 20 seeds)', () => {
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const tpe = seeds.map((seed) => evaluationsToTarget('bayesian', seed, 2_000));
    const random = seeds.map((seed) => evaluationsToTarget('random', seed, 20_000));
    expect(percentile(tpe, 50)).toBeLessThanOrEqual(percentile(random, 50) / 3);
  });

  it('starts at random, then settles on the best category and the best region', () => {
    const s = space(
      [
        { name: 'mode', type: 'string', default: 'a', options: ['a', 'b', 'c', 'd'] },
        { name: 'x', type: 'int', default: 0, min: 0, max: 1000 },
      ],
      [],
      {},
    );
    const objective = (mode: string, x: number) => (mode === 'c' ? 10 : 0) - Math.abs(x - 700) / 100;
    const sampler = createSampler(s, 'bayesian', { seed: 3, budget: 100 });
    const late: { mode: string; x: number }[] = [];
    for (let round = 0; round < 20; round++) {
      const asked = sampler.ask(4);
      sampler.tell(
        asked.map((params) => ({ params, value: objective(params.mode as string, params.x as number) })),
      );
      if (round >= 15) late.push(...asked.map((p) => ({ mode: p.mode as string, x: p.x as number })));
    }
    // Random search would pick 'c' a quarter of the time and land within 100 of 700 a fifth of the time.
    expect(late.filter((p) => p.mode === 'c').length / late.length).toBeGreaterThan(0.6);
    expect(late.filter((p) => Math.abs(p.x - 700) <= 100).length / late.length).toBeGreaterThan(0.6);
  });

  it('treats failed trials (null) as the worst and still proposes new points', () => {
    const s = space([{ name: 'x', type: 'int', default: 0, min: 0, max: 1000 }], [], {});
    const sampler = createSampler(s, 'bayesian', { seed: 5, budget: 60 });
    const seen = new Set<number>();
    for (let round = 0; round < 15; round++) {
      const asked = sampler.ask(4);
      expect(asked).toHaveLength(4);
      for (const params of asked) {
        expect(seen.has(params.x as number)).toBe(false);
        seen.add(params.x as number);
      }
      sampler.tell(
        asked.map((params) => ({ params, value: (params.x as number) < 500 ? null : -(params.x as number) })),
      );
    }
  });

  it('proposes the same trials for the same seed and results', () => {
    const run = (seed: number) => {
      const sampler = createSampler(BRANIN_SPACE, 'bayesian', { seed, budget: 50 });
      const asked = [];
      for (let round = 0; round < 10; round++) {
        const batch = sampler.ask(5);
        sampler.tell(
          batch.map((params) => ({ params, value: -branin(params.x1 as number, params.x2 as number) })),
        );
        asked.push(...batch);
      }
      return asked;
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('sizes its random start and its good group from the budget and the results', () => {
    expect([startupTrials(20), startupTrials(200), startupTrials(5000)]).toEqual([10, 20, 25]);
    expect([goodCount(1), goodCount(40), goodCount(1000)]).toEqual([1, 4, 25]);
  });
});
