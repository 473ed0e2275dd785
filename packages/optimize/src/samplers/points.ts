// Candidates as the samplers see them: one number per dimension (the value's index for a dimension with a
// size, the value itself for a continuous one), turned into ParamSets and back, and drawn at random.
import type { Random } from '../random';
import { type Dimension, type SearchSpace, satisfiesConstraints, valueAt } from '../space';
import type { ParamSet, ParamValue } from '../spec';

export type Point = readonly number[];

export function pointKey(point: Point): string {
  return point.join(',');
}

export function paramsOf(space: SearchSpace, point: Point): ParamSet {
  const params: Record<string, ParamValue> = { ...space.fixed };
  space.dimensions.forEach((dimension, d) => {
    const coordinate = point[d] as number;
    params[dimension.name] = dimension.size === null ? coordinate : valueAt(dimension, coordinate);
  });
  return params;
}

/** The point of a ParamSet, or null when one of its values is not in the space (e.g. a changed range). */
export function pointOf(space: SearchSpace, params: ParamSet): Point | null {
  const point: number[] = [];
  for (const dimension of space.dimensions) {
    const index = coordinateOf(dimension, params[dimension.name]);
    if (index === null) return null;
    point.push(index);
  }
  return point;
}

function coordinateOf(dimension: Dimension, value: ParamValue | undefined): number | null {
  if (value === undefined) return null;
  if (dimension.size === null) {
    const inside =
      typeof value === 'number' && value >= (dimension.min ?? value) && value <= (dimension.max ?? value);
    return inside ? value : null;
  }
  if (dimension.values !== null) {
    const index = dimension.values.indexOf(value);
    return index < 0 ? null : index;
  }
  if (typeof value !== 'number' || dimension.min === undefined || !dimension.step) return null;
  const index = Math.round((value - dimension.min) / dimension.step);
  return index >= 0 && index < dimension.size && valueAt(dimension, index) === value ? index : null;
}

/** Number of points on the lattice; null when a dimension is continuous. */
export function latticePoints(space: SearchSpace): number | null {
  let total = 1;
  for (const dimension of space.dimensions) {
    if (dimension.size === null) return null;
    total *= dimension.size;
  }
  return total;
}

/** Draws of points uniformly over the space that satisfy its constraints and are not in `seen` yet. */
export interface RandomDraw {
  /** A new point (added to `seen`), or null when none was found: the space is exhausted or the constraints rarely hold. */
  next(): Point | null;
}

/** Attempts per draw before giving up on finding a new point that satisfies the constraints. */
const ATTEMPTS_PER_DRAW = 100_000;

export function randomDraw(space: SearchSpace, random: Random, seen: Set<string>): RandomDraw {
  const total = latticePoints(space);
  return total !== null && total <= Number.MAX_SAFE_INTEGER
    ? permutationDraw(space, random, seen, total)
    : rejectionDraw(space, random, seen);
}

/**
 * A finite lattice is walked in a random order (Fisher–Yates with the swaps kept in a map, so memory grows
 * with the draws, not the lattice): every point comes up once, and the walk ends when the lattice does.
 */
function permutationDraw(space: SearchSpace, random: Random, seen: Set<string>, total: number): RandomDraw {
  const swapped = new Map<number, number>();
  let drawn = 0;
  return {
    next() {
      for (let attempt = 0; attempt < ATTEMPTS_PER_DRAW && drawn < total; attempt++) {
        const pick = drawn + Math.floor(uniform(random) * (total - drawn));
        const index = swapped.get(pick) ?? pick;
        swapped.set(pick, swapped.get(drawn) ?? drawn);
        swapped.delete(drawn);
        drawn++;
        const point = decode(space, index);
        const key = pointKey(point);
        if (seen.has(key) || !satisfiesConstraints(space, paramsOf(space, point))) continue;
        seen.add(key);
        return point;
      }
      return null;
    },
  };
}

function rejectionDraw(space: SearchSpace, random: Random, seen: Set<string>): RandomDraw {
  return {
    next() {
      for (let attempt = 0; attempt < ATTEMPTS_PER_DRAW; attempt++) {
        const point = space.dimensions.map((dimension) =>
          dimension.size === null
            ? (dimension.min as number) +
              random.next() * ((dimension.max as number) - (dimension.min as number))
            : Math.floor(uniform(random) * dimension.size),
        );
        const key = pointKey(point);
        if (seen.has(key) || !satisfiesConstraints(space, paramsOf(space, point))) continue;
        seen.add(key);
        return point;
      }
      return null;
    },
  };
}

/** Lattice index → point, the last dimension varying fastest (the grid's order). */
function decode(space: SearchSpace, index: number): Point {
  const point = new Array<number>(space.dimensions.length);
  let rest = index;
  for (let d = space.dimensions.length - 1; d >= 0; d--) {
    const size = space.dimensions[d]?.size as number;
    point[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return point;
}

/** Uniform in [0, 1) with 53 bits, so indices into lattices beyond 2^32 points are uniform too. */
function uniform(random: Random): number {
  return (Math.floor(random.next() * 2 ** 21) * 2 ** 32 + Math.floor(random.next() * 2 ** 32)) / 2 ** 53;
}
