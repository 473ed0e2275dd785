import { describe, expect, it } from 'vitest';
import { parameterImportance } from './importance';
import { seededRandom } from './random';
import type { Dimension } from './space';
import type { ParamSet } from './spec';

const DIMENSIONS: Dimension[] = [
  {
    name: 'fast',
    kind: 'int',
    min: 2,
    max: 50,
    step: 1,
    size: 49,
    values: Array.from({ length: 49 }, (_, i) => i + 2),
  },
  { name: 'noise', kind: 'number', min: 0, max: 1, step: null, size: null, values: null },
  { name: 'mode', kind: 'categorical', size: 3, values: ['a', 'b', 'c'] },
];

function trials(objective: (params: ParamSet, random: () => number) => number | null, n: number) {
  const random = seededRandom(9);
  return Array.from({ length: n }, () => {
    const params = {
      fast: 2 + random.int(49),
      noise: random.next(),
      mode: ['a', 'b', 'c'][random.int(3)] as string,
    };
    return { params, value: objective(params, () => random.normal()) };
  });
}

describe('parameterImportance', () => {
  it('gives the parameter that drives the objective most of the variance and the noise parameters about none', () => {
    const result = parameterImportance(
      trials((p, normal) => Math.sin((p.fast as number) / 8) + 0.1 * normal(), 400),
      DIMENSIONS,
    );
    expect(result?.parameters[0]?.name).toBe('fast');
    expect(result?.parameters[0]?.share).toBeGreaterThan(0.85);
    for (const other of result?.parameters.slice(1) ?? []) expect(other.share).toBeLessThan(0.03);
    expect(result?.unexplained).toBeCloseTo(
      1 - (result?.parameters ?? []).reduce((sum, p) => sum + p.share, 0),
      12,
    );
    expect(result?.unexplained).toBeGreaterThan(0);
  });

  it('splits the variance between two parameters with additive effects, and reads categories', () => {
    const result = parameterImportance(
      trials((p) => (p.mode === 'c' ? 2 : 0) + (p.noise as number), 600),
      DIMENSIONS,
    );
    const share = Object.fromEntries((result?.parameters ?? []).map((p) => [p.name, p.share]));
    // Var(mode effect) = 4 × 2/9 ≈ 0.889, Var(uniform) = 1/12 ≈ 0.083: shares about 0.91 and 0.09 (binned: a bit less).
    expect(share.mode).toBeGreaterThan(0.85);
    expect(share.noise).toBeGreaterThan(0.05);
    expect(share.noise).toBeLessThan(0.15);
    expect(share.fast).toBeLessThan(0.02);
  });

  it('uses feasible trials only, and says nothing with too few or without variance', () => {
    expect(
      parameterImportance(
        trials(() => null, 50),
        DIMENSIONS,
      ),
    ).toBeNull();
    expect(
      parameterImportance(
        trials(() => 1.5, 50),
        DIMENSIONS,
      ),
    ).toBeNull();
    expect(
      parameterImportance(
        trials((p) => p.fast as number, 3),
        DIMENSIONS,
      ),
    ).toBeNull();
    const mostlyFailed = trials((p) => ((p.fast as number) > 10 ? null : (p.fast as number)), 200);
    expect(parameterImportance(mostlyFailed, DIMENSIONS)?.parameters[0]?.name).toBe('fast');
  });
});
