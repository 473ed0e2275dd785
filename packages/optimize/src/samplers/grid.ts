// Grid search: every combination of the dimensions' values, in a fixed order (first dimension slowest,
// last fastest), skipping those that break a constraint.
import { type Dimension, type SearchSpace, satisfiesConstraints, valueAt } from '../space';
import type { ParamSet, ParamValue } from '../spec';
import { paramsOf, pointKey, pointOf } from './points';
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
  for (const index of walkGrid(space)) yield paramsOf(space, index);
}

/** How many combinations satisfy the constraints (the length of enumerateGrid, without building them). */
export function countGrid(space: SearchSpace): number {
  let count = 0;
  for (const _ of walkGrid(space)) count++;
  return count;
}

/** The value indices of each valid combination, the last dimension varying fastest; one array, updated in place. */
function* walkGrid(space: SearchSpace): Generator<readonly number[]> {
  const { dimensions } = space;
  const continuous = dimensions.find((dimension) => dimension.size === null);
  if (continuous) throw new Error(`A grid needs a step for '${continuous.name}', which is continuous`);
  const index = dimensions.map(() => 0);
  // One candidate updated in place too: counting two million combinations must not build two million objects.
  const params: Record<string, ParamValue> = { ...space.fixed };
  const set = (d: number, i: number) => {
    const dimension = dimensions[d] as Dimension;
    index[d] = i;
    params[dimension.name] = valueAt(dimension, i);
  };
  for (let d = 0; d < dimensions.length; d++) set(d, 0);
  while (true) {
    if (satisfiesConstraints(space, params)) yield index;
    let d = dimensions.length - 1;
    while (d >= 0 && (index[d] as number) + 1 >= (dimensions[d]?.size as number)) set(d--, 0);
    if (d < 0) return;
    set(d, (index[d] as number) + 1);
  }
}

export function gridSampler(space: SearchSpace): Sampler {
  const points = walkGrid(space);
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
