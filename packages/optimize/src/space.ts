// The search space of an optimization: which strategy parameters vary over which values (from their
// declarations and the run's range overrides), which stay fixed, and the constraints between them.
import {
  type Constraint,
  constraintHolds,
  didYouMean,
  paramRangeHint,
  paramValueProblem,
  parseConstraint,
  type StrategyParam,
} from '@candleflow/strategy-dsl';
import { MAX_GRID_COMBINATIONS, type ParamSet, type ParamValue, type RangeOverride } from './spec';

export interface Dimension {
  readonly name: string;
  readonly kind: 'int' | 'number' | 'categorical';
  /** Numeric dimensions: the searched range. */
  readonly min?: number;
  readonly max?: number;
  /** Step of an evenly spaced numeric lattice; null = continuous (random/bayesian only); absent for a list. */
  readonly step?: number | null;
  /** How many values the dimension has; null when continuous. */
  readonly size: number | null;
  /** Every value in order (numbers ascending); null when continuous or more than MAX_LISTED_VALUES. */
  readonly values: readonly ParamValue[] | null;
}

export interface SearchSpace {
  readonly dimensions: readonly Dimension[];
  /** Parameters held at one value (declared without a range, or { fixed } in the request). */
  readonly fixed: ParamSet;
  readonly constraints: readonly string[];
}

/** A refusal of the request: `path` names the field ('ranges.fast.min', 'method', 'constraints[0]'). */
export interface SpaceIssue {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** A lattice with more values than this is not listed in `values` (read them with valueAt). */
export const MAX_LISTED_VALUES = MAX_GRID_COMBINATIONS;

type Outcome =
  | { readonly dimension: Dimension }
  | { readonly fixed: ParamValue }
  | { readonly issues: SpaceIssue[] };

/**
 * Each declared parameter becomes a dimension or a held value. Numbers with min and max are searched on
 * their step (whole numbers without one move by 1; other numbers without one are continuous); true/false
 * is searched over both; text over its options. A number without bounds, or text without options, is
 * held at its default unless the run gives it a range or values. Every problem is reported, not the first.
 */
export function buildSearchSpace(
  params: readonly StrategyParam[],
  constraints: readonly string[],
  ranges: Readonly<Record<string, RangeOverride>>,
): { ok: true; space: SearchSpace } | { ok: false; issues: SpaceIssue[] } {
  const declared = new Map(params.map((param) => [param.name, param]));
  const issues: SpaceIssue[] = [];
  for (const name of Object.keys(ranges)) {
    if (declared.has(name)) continue;
    issues.push({
      path: `ranges.${name}`,
      message: `A range was given for '${name}', but the strategy has no parameter of that name`,
      hint:
        didYouMean(name, declared.keys()) ??
        `its parameters are: ${[...declared.keys()].join(', ') || 'none'}`,
    });
  }
  const dimensions: Dimension[] = [];
  const fixed: Record<string, ParamValue> = {};
  for (const param of declared.values()) {
    const outcome = searchOf(param, Object.hasOwn(ranges, param.name) ? ranges[param.name] : undefined);
    if ('issues' in outcome) issues.push(...outcome.issues);
    else if ('fixed' in outcome) fixed[param.name] = outcome.fixed;
    else dimensions.push(outcome.dimension);
  }
  issues.push(...constraintIssues(constraints, declared));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, space: { dimensions, fixed, constraints: [...constraints] } };
}

function searchOf(param: StrategyParam, override: RangeOverride | undefined): Outcome {
  const path = `ranges.${param.name}`;
  if (override !== undefined && 'fixed' in override) {
    const problem = paramValueProblem(param, override.fixed);
    if (problem === null) return { fixed: override.fixed };
    return {
      issues: [
        {
          path: `${path}.fixed`,
          message: `The fixed value of '${param.name}' ${problem}`,
          hint: paramRangeHint(param),
        },
      ],
    };
  }
  if (override !== undefined && 'values' in override)
    return listSearch(param, override.values, `${path}.values`);
  const range = override ?? {};
  const ranged = range.min !== undefined || range.max !== undefined || range.step !== undefined;
  switch (param.type) {
    case 'int':
    case 'number':
      return numericSearch(param, range, ranged, path);
    case 'boolean':
    case 'string': {
      if (ranged) {
        const example =
          param.type === 'boolean'
            ? '[true, false]'
            : `[${(param.options ?? ['a', 'b']).map((o) => `'${o}'`).join(', ')}]`;
        return {
          issues: [
            {
              path,
              message: `'${param.name}' is ${param.type === 'boolean' ? 'true/false' : 'text'}, so a numeric range (min, max, step) does not apply`,
              hint: `list the values to try, e.g. { values: ${example} }, or hold it with { fixed: ... }`,
            },
          ],
        };
      }
      if (param.type === 'boolean') return { dimension: listDimension(param, [false, true]) };
      // Text without declared options has nothing to search: it stays at its default unless values are listed.
      const options = [...new Set(param.options ?? [])];
      return options.length > 1
        ? { dimension: listDimension(param, options) }
        : { fixed: options[0] ?? param.default };
    }
  }
}

function numericSearch(
  param: StrategyParam,
  range: { readonly min?: number; readonly max?: number; readonly step?: number },
  ranged: boolean,
  path: string,
): Outcome {
  // A numeric parameter declared without bounds keeps its default unless the run gives it a range.
  if (!ranged && (param.min === undefined || param.max === undefined)) return { fixed: param.default };
  const where = (field: 'min' | 'max' | 'step') =>
    range[field] !== undefined ? `${path}.${field}` : `params.${param.name}.${field}`;
  const min = range.min ?? param.min;
  const max = range.max ?? param.max;
  const step = range.step ?? param.step ?? (param.type === 'int' ? 1 : null);
  const issues: SpaceIssue[] = [];
  const example = `e.g. { min: ${min ?? 1}, max: ${max ?? 100}${param.type === 'int' ? ', step: 1' : ''} }`;
  if (min === undefined)
    issues.push({
      path: `${path}.min`,
      message: `'${param.name}' has no declared minimum, so its range needs a min`,
      hint: example,
    });
  if (max === undefined)
    issues.push({
      path: `${path}.max`,
      message: `'${param.name}' has no declared maximum, so its range needs a max`,
      hint: example,
    });
  if (step !== null && !(step > 0))
    issues.push({
      path: where('step'),
      message: `The step of '${param.name}' must be above 0 (got ${step})`,
      hint: 'use a positive step, or leave it out',
    });
  if (param.type === 'int') {
    for (const [field, value] of [
      ['min', min],
      ['max', max],
      ['step', step],
    ] as const) {
      if (value === undefined || value === null || Number.isInteger(value)) continue;
      issues.push({
        path: where(field),
        message: `'${param.name}' is a whole number, so its ${field} must be one too (got ${value})`,
        hint: `use ${field === 'min' ? Math.ceil(value) : field === 'max' ? Math.floor(value) : Math.max(1, Math.round(value))}`,
      });
    }
  }
  if (range.min !== undefined && param.min !== undefined && range.min < param.min)
    issues.push({
      path: `${path}.min`,
      message: `The range of '${param.name}' starts at ${range.min}, below its declared minimum ${param.min}`,
      hint: `use a min of at least ${param.min}, or change the parameter's definition`,
    });
  if (range.max !== undefined && param.max !== undefined && range.max > param.max)
    issues.push({
      path: `${path}.max`,
      message: `The range of '${param.name}' ends at ${range.max}, above its declared maximum ${param.max}`,
      hint: `use a max of at most ${param.max}, or change the parameter's definition`,
    });
  if (issues.length > 0 || min === undefined || max === undefined) return { issues };
  if (min > max)
    return {
      issues: [
        {
          path: range.min !== undefined ? `${path}.min` : `${path}.max`,
          message: `The range of '${param.name}' is inverted: min ${min} is above max ${max}`,
          hint: `swap them: { min: ${max}, max: ${min} }`,
        },
      ],
    };
  if (min === max) return { fixed: min };
  if (step === null) {
    return {
      dimension: { name: param.name, kind: 'number', min, max, step: null, size: null, values: null },
    };
  }
  const size = latticeSize(min, max, step);
  // A step wider than the range leaves one value: the parameter is simply held there.
  if (size === 1) return { fixed: min };
  const values =
    size <= MAX_LISTED_VALUES ? Array.from({ length: size }, (_, k) => latticeValue(min, step, k)) : null;
  const kind = param.type === 'int' ? 'int' : 'number';
  return { dimension: { name: param.name, kind, min, max, step, size, values } };
}

function listSearch(param: StrategyParam, values: readonly ParamValue[], path: string): Outcome {
  const issues: SpaceIssue[] = [];
  values.forEach((value, i) => {
    const problem = paramValueProblem(param, value);
    if (problem !== null)
      issues.push({
        path: `${path}[${i}]`,
        message: `Value ${i + 1} listed for '${param.name}' ${problem}`,
        hint: paramRangeHint(param),
      });
  });
  if (issues.length > 0) return { issues };
  const unique = [...new Set(values)];
  if (unique.length === 1) return { fixed: unique[0] as ParamValue };
  return { dimension: listDimension(param, unique) };
}

function listDimension(param: StrategyParam, values: readonly ParamValue[]): Dimension {
  if (param.type === 'int' || param.type === 'number') {
    const sorted = (values as number[]).toSorted((a, b) => a - b);
    return {
      name: param.name,
      kind: param.type,
      min: sorted[0],
      max: sorted.at(-1),
      size: sorted.length,
      values: sorted,
    };
  }
  return { name: param.name, kind: 'categorical', size: values.length, values };
}

function constraintIssues(
  constraints: readonly string[],
  declared: ReadonlyMap<string, StrategyParam>,
): SpaceIssue[] {
  const issues: SpaceIssue[] = [];
  constraints.forEach((text, i) => {
    const path = `constraints[${i}]`;
    const constraint = parseConstraint(text);
    if (constraint === null) {
      issues.push({
        path,
        message: `The constraint '${text}' cannot be read`,
        hint: 'write it as <parameter or number> <op> <parameter or number> with op one of < <= > >= == !=, e.g. fast < slow',
      });
      return;
    }
    const ordering = constraint.op !== '==' && constraint.op !== '!=';
    for (const operand of [constraint.left, constraint.right]) {
      if (!('name' in operand)) continue;
      const param = declared.get(operand.name);
      if (param === undefined)
        issues.push({
          path,
          message: `The constraint '${text}' names '${operand.name}', which is not a strategy parameter`,
          hint: didYouMean(operand.name, declared.keys()) ?? 'declare the parameter or fix the constraint',
        });
      else if (ordering && param.type !== 'int' && param.type !== 'number')
        issues.push({
          path,
          message: `The constraint '${text}' orders '${operand.name}', which is not a number`,
          hint: 'only == and != work for text and true/false parameters',
        });
    }
  });
  return issues;
}

/** Each space's constraints, compiled once into one test (grids check millions of candidates). */
const constraintTests = new WeakMap<SearchSpace, (params: ParamSet) => boolean>();

/** True when every constraint holds for `params` (parameters missing from it are read from space.fixed). */
export function satisfiesConstraints(space: SearchSpace, params: ParamSet): boolean {
  let test = constraintTests.get(space);
  if (test === undefined) {
    test = compileConstraints(space);
    constraintTests.set(space, test);
  }
  return test(params);
}

function compileConstraints(space: SearchSpace): (params: ParamSet) => boolean {
  const operand = (side: Constraint['left']): ((params: ParamSet) => ParamValue | undefined) => {
    if ('literal' in side) return () => side.literal;
    const held = space.fixed[side.name];
    return (params) => params[side.name] ?? held;
  };
  const tests = space.constraints.map((text) => {
    const constraint = parseConstraint(text);
    if (constraint === null) throw new Error(`The constraint '${text}' cannot be read`);
    const { op } = constraint;
    const left = operand(constraint.left);
    const right = operand(constraint.right);
    const ordering = op !== '==' && op !== '!=';
    return (params: ParamSet) => {
      const a = left(params);
      const b = right(params);
      if (a === undefined || b === undefined) return false;
      if (ordering && (typeof a !== 'number' || typeof b !== 'number')) return false;
      return constraintHolds(a, op, b);
    };
  });
  return (params) => tests.every((test) => test(params));
}

/** Values on [min, max] every `step` from min; the small epsilon keeps 0.1..0.3 step 0.1 at three values. */
export function latticeSize(min: number, max: number, step: number): number {
  return Math.floor((max - min) / step + 1e-9) + 1;
}

/** The k-th lattice value, rounded to the decimals of min and step (0.1 + 2 × 0.1 is 0.3, not 0.30000000000000004). */
export function latticeValue(min: number, step: number, k: number): number {
  const decimals = Math.max(decimalPlaces(min), decimalPlaces(step));
  return Number((min + k * step).toFixed(decimals));
}

function decimalPlaces(x: number): number {
  const match = /(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  const digits = (match?.[1]?.length ?? 0) - Number(match?.[2] ?? 0);
  return Math.min(15, Math.max(0, digits));
}

/** The value at `index` (0..size-1) of a dimension with a size. */
export function valueAt(dimension: Dimension, index: number): ParamValue {
  const listed = dimension.values?.[index];
  if (listed !== undefined) return listed;
  if (dimension.step == null || dimension.min === undefined)
    throw new Error(`'${dimension.name}' has no value ${index}`);
  return latticeValue(dimension.min, dimension.step, index);
}
