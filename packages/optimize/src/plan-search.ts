// Checks an optimization request against its search space before any job starts: how many trials it will
// run, with refusals a trader can act on (a grid too large, a grid over a continuous range, constraints
// that no combination satisfies, nothing to search).
import { countGrid, gridSize } from './samplers/grid';
import { latticePoints } from './samplers/points';
import { randomSampler } from './samplers/random';
import { startupTrials } from './samplers/tpe';
import { type Dimension, latticeSize, type SearchSpace, type SpaceIssue } from './space';
import { MAX_GRID_COMBINATIONS, type OptimizeSpec } from './spec';

/** Lattices up to this many points are enumerated to count the combinations that satisfy the constraints. */
export const ENUMERATION_LIMIT = 2_000_000;

export type SearchPlan =
  | { ok: true; trials: number; gridSize: number | null; warnings: string[] }
  | { ok: false; issues: SpaceIssue[] };

export function planSearch(
  space: SearchSpace,
  spec: Pick<OptimizeSpec, 'method' | 'trials' | 'seed'>,
): SearchPlan {
  if (space.dimensions.length === 0) {
    return refuse({
      path: 'ranges',
      message: 'Every parameter is held at one value, so there is nothing to search',
      hint: 'give at least one parameter a range (min, max, step) or a list of values',
    });
  }
  return spec.method === 'grid' ? planGrid(space, spec) : planSampled(space, spec);
}

function planGrid(space: SearchSpace, spec: Pick<OptimizeSpec, 'trials'>): SearchPlan {
  const continuous = space.dimensions.filter((dimension) => dimension.size === null);
  if (continuous.length > 0) {
    return {
      ok: false,
      issues: continuous.map((dimension) => ({
        path: `ranges.${dimension.name}.step`,
        message: `'${dimension.name}' is a continuous range (a number without a step), which a grid cannot list`,
        hint: `give '${dimension.name}' a step, e.g. { step: ${coarserStep(width(dimension) / 10, false)} }, or use random or Bayesian search`,
      })),
    };
  }
  const size = gridSize(space);
  if (size > MAX_GRID_COMBINATIONS) {
    const steps = stepSuggestion(space, size);
    const search = `search with method 'random' or 'bayesian' and a budget of trials, e.g. ${formatCount(spec.trials)}`;
    return refuse({
      path: 'method',
      message: `The grid has ${formatCount(size)} combinations, more than the ${formatCount(MAX_GRID_COMBINATIONS)} a grid search may run`,
      hint:
        steps === null
          ? `${capitalise(search)}, or search fewer parameters`
          : `Use larger steps: ${steps}; or ${search}`,
    });
  }
  const valid = space.constraints.length === 0 ? size : countGrid(space);
  if (valid === 0) return refuse(noValidCombination(space));
  const warnings =
    valid < size
      ? [
          `${formatCount(size - valid)} of the ${formatCount(size)} combinations break the constraints and are skipped`,
        ]
      : [];
  return { ok: true, trials: valid, gridSize: size, warnings };
}

function planSampled(space: SearchSpace, spec: Pick<OptimizeSpec, 'method' | 'trials' | 'seed'>): SearchPlan {
  const lattice = latticePoints(space);
  let available = lattice;
  if (space.constraints.length > 0) {
    if (lattice !== null && lattice <= ENUMERATION_LIMIT) available = countGrid(space);
    else if (randomSampler(space, spec.seed).ask(1).length === 0) available = 0;
  }
  if (available === 0) return refuse(noValidCombination(space));
  const trials = available === null ? spec.trials : Math.min(spec.trials, available);
  const warnings: string[] = [];
  if (trials < spec.trials) {
    const which = space.constraints.length > 0 ? ' that satisfy the constraints' : '';
    warnings.push(
      `Only ${formatCount(trials)} distinct combinations exist${which}: running ${formatCount(trials)} trials instead of ${formatCount(spec.trials)}`,
    );
  }
  if (spec.method === 'bayesian' && trials <= startupTrials(trials)) {
    warnings.push(
      `Bayesian search starts with ${startupTrials(trials)} random trials, so with ${formatCount(trials)} trials it is random search`,
    );
  }
  return { ok: true, trials, gridSize: lattice, warnings };
}

function noValidCombination(space: SearchSpace): SpaceIssue {
  const named = new Set(space.constraints.flatMap((text) => text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []));
  const ranges = space.dimensions
    .filter((dimension) => named.has(dimension.name))
    .map((dimension) => `'${dimension.name}' is searched over ${describeValues(dimension)}`);
  const held = Object.entries(space.fixed)
    .filter(([name]) => named.has(name))
    .map(([name, value]) => `'${name}' is held at ${String(value)}`);
  const quoted = space.constraints.map((text) => `'${text}'`).join(', ');
  return {
    path: 'constraints',
    message: `No combination of the searched values satisfies the constraint${space.constraints.length > 1 ? 's' : ''} ${quoted}`,
    hint: `${[...ranges, ...held].join('; ')}: change the ranges so the constraints can hold`,
  };
}

function describeValues(dimension: Dimension): string {
  if (dimension.kind === 'categorical') return (dimension.values ?? []).map(String).join(', ');
  return `${dimension.min} to ${dimension.max}`;
}

/**
 * Steps that bring the grid under the limit by coarsening the widest parameters: the widest alone if
 * it can, else the two widest, and so on, each keeping about the same share of its values.
 */
function stepSuggestion(space: SearchSpace, size: number): string | null {
  const steppable = space.dimensions
    .filter((dimension) => typeof dimension.step === 'number' && (dimension.size as number) > 2)
    .toSorted((a, b) => (b.size as number) - (a.size as number));
  for (let k = 1; k <= steppable.length; k++) {
    const chosen = steppable.slice(0, k);
    const rest = size / chosen.reduce((product, dimension) => product * (dimension.size as number), 1);
    const keep = Math.floor((MAX_GRID_COMBINATIONS / rest) ** (1 / k) + 1e-9);
    if (keep < 2) continue;
    const changes = chosen.map((dimension) => {
      const step = Math.max(
        dimension.step as number,
        coarserStep(width(dimension) / (keep - 1), dimension.kind === 'int'),
      );
      return { dimension, step, count: latticeSize(dimension.min as number, dimension.max as number, step) };
    });
    if (changes.reduce((product, change) => product * change.count, rest) > MAX_GRID_COMBINATIONS) continue;
    return changes
      .map(
        ({ dimension, step, count }) =>
          `step ${step} for '${dimension.name}' (${count} values instead of ${dimension.size})`,
      )
      .join(', ');
  }
  return null;
}

/** The smallest step of at least `raw`: a whole number for integers, else two significant digits. */
function coarserStep(raw: number, whole: boolean): number {
  if (whole) return Math.max(1, Math.ceil(raw - 1e-9));
  const unit = 10 ** (Math.floor(Math.log10(raw)) - 1);
  return Number((Math.ceil(raw / unit - 1e-9) * unit).toPrecision(12));
}

function width(dimension: Dimension): number {
  return (dimension.max as number) - (dimension.min as number);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function refuse(issue: SpaceIssue): SearchPlan {
  return { ok: false, issues: [issue] };
}
