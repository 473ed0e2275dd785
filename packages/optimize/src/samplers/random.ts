// Random search: points drawn uniformly over the lattice (or the continuous ranges), each at most once,
// only those that satisfy the constraints, from a seeded source.
import { seededRandom } from '../random';
import type { SearchSpace } from '../space';
import type { ParamSet } from '../spec';
import { paramsOf, pointKey, pointOf, randomDraw } from './points';
import type { Sampler } from './sampler';

export function randomSampler(space: SearchSpace, seed: number): Sampler {
  const seen = new Set<string>();
  const draw = randomDraw(space, seededRandom(seed), seen);
  return {
    ask(count) {
      const asked: ParamSet[] = [];
      while (asked.length < count) {
        const point = draw.next();
        if (point === null) break;
        asked.push(paramsOf(space, point));
      }
      return asked;
    },
    // Results told before they were asked (a resumed run) are not asked again.
    tell(results) {
      for (const { params } of results) {
        const point = pointOf(space, params);
        if (point !== null) seen.add(pointKey(point));
      }
    },
  };
}
