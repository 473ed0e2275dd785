// The search methods behind one interface: grid, random and Bayesian (TPE) samplers.
import type { SearchSpace } from '../space';
import type { SearchMethod } from '../spec';
import { gridSampler } from './grid';
import { randomSampler } from './random';
import type { Sampler } from './sampler';
import { tpeSampler } from './tpe';

export { enumerateGrid, gridSize } from './grid';
export type { Sampler } from './sampler';

/** `budget` is the number of trials the run will ask for (TPE sizes its random start by it). */
export function createSampler(
  space: SearchSpace,
  method: SearchMethod,
  options: { readonly seed: number; readonly budget: number },
): Sampler {
  switch (method) {
    case 'grid':
      return gridSampler(space);
    case 'random':
      return randomSampler(space, options.seed);
    case 'bayesian':
      return tpeSampler(space, options);
  }
}
