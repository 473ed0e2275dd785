// Grid search: every combination of the dimensions' values, in a fixed order (first dimension slowest,
// last fastest), skipping those that break a constraint.
import { type SearchSpace, satisfiesConstraints } from '../space';
import type { ParamSet } from '../spec';
import { type Point, paramsOf, pointKey, pointOf } from './points';
import type { Sampler } from './sampler';

/** Combinations before constraints: the product of the dimensions' value counts (Infinity when one is continuous). */
export function gridSize(space: SearchSpace): number {
  return space.dimensions.reduce(
    (product, dimension) => product * (dimension.size ?? Number.POSITIVE_INFINITY),
    1,
  );
}

/** Every combination that satisfies the constraints, as full ParamSets (fixed parameters included). */
export function* enumerateGrid(space: SearchSpace): Generator<ParamSet> {
  for (const point of gridPoints(space)) yield paramsOf(space, point);
}

function* gridPoints(space: SearchSpace): Generator<Point> {
  const { dimensions } = space;
  const continuous = dimensions.find((dimension) => dimension.size === null);
  if (continuous) throw new Error(`A grid needs a step for '${continuous.name}', which is continuous`);
  const index = dimensions.map(() => 0);
  while (true) {
    if (satisfiesConstraints(space, paramsOf(space, index))) yield [...index];
    let d = dimensions.length - 1;
    while (d >= 0 && (index[d] as number) + 1 >= (dimensions[d]?.size as number)) index[d--] = 0;
    if (d < 0) return;
    index[d] = (index[d] as number) + 1;
  }
}

export function gridSampler(space: SearchSpace): Sampler {
  const points = gridPoints(space);
  const told = new Set<string>();
  return {
    ask(count) {
      const asked: ParamSet[] = [];
      while (asked.length < count) {
        const next = points.next();
        if (next.done) break;
        if (!told.has(pointKey(next.value))) asked.push(paramsOf(space, next.value));
      }
      return asked;
    },
    // Results told before they were asked (a resumed run) are not asked again.
    tell(results) {
      for (const { params } of results) {
        const point = pointOf(space, params);
        if (point !== null) told.add(pointKey(point));
      }
    },
  };
}
