// Strategy parameters: checks the declarations, applies `--param` style overrides, and evaluates the
// constraints between parameters (`fast < slow`).
import type { Diagnostic } from '../errors';
import type { StrategyParam } from '../graph';
import type { ResolvedParams } from '../plan';
import { didYouMean, show } from './words';

type ParamScalar = number | string | boolean;

/** Why `value` is not acceptable for `param`, or null when it is. */
export function valueProblem(param: StrategyParam, value: ParamScalar): string | null {
  switch (param.type) {
    case 'int':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return `must be a number (got ${show(value)})`;
      if (param.type === 'int' && !Number.isInteger(value)) return `must be a whole number (got ${value})`;
      if (param.min !== undefined && value < param.min) return `must be at least ${param.min} (got ${value})`;
      if (param.max !== undefined && value > param.max) return `must be at most ${param.max} (got ${value})`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false (got ${show(value)})`;
    case 'string':
      if (typeof value !== 'string') return `must be text (got ${show(value)})`;
      if (param.options && !param.options.includes(value)) {
        return `must be one of ${param.options.map(show).join(', ')} (got ${show(value)})`;
      }
      return null;
  }
}

/** Command-line values arrive as text; text that is exactly a number or a boolean is read as one. */
function coerce(param: StrategyParam, value: ParamScalar): ParamScalar {
  if (typeof value !== 'string') return value;
  if (
    (param.type === 'int' || param.type === 'number') &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  ) {
    return Number(value);
  }
  if (param.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * Resolves every declared parameter to its value: the override when given, else the default.
 * A parameter whose value is invalid is left out of the result, so later checks do not repeat the error.
 */
export function resolveStrategyParams(
  declared: readonly StrategyParam[],
  overrides: Readonly<Record<string, ParamScalar>>,
  diagnostics: Diagnostic[],
): Map<string, ParamScalar> {
  const values = new Map<string, ParamScalar>();
  const byName = new Map<string, StrategyParam>();
  for (const param of declared) {
    if (byName.has(param.name)) {
      diagnostics.push({
        code: 'INVALID_STRATEGY_PARAM',
        severity: 'error',
        param: param.name,
        message: `The strategy parameter '${param.name}' is declared twice`,
        hint: 'rename or remove one of them',
      });
      continue;
    }
    byName.set(param.name, param);
    if (param.min !== undefined && param.max !== undefined && param.min > param.max) {
      diagnostics.push({
        code: 'INVALID_STRATEGY_PARAM',
        severity: 'error',
        param: param.name,
        message: `The strategy parameter '${param.name}' has min ${param.min} above max ${param.max}`,
        hint: 'swap min and max',
      });
    }
  }
  for (const name of Object.keys(overrides)) {
    if (!byName.has(name)) {
      const suggestion = didYouMean(name, byName.keys());
      diagnostics.push({
        code: 'UNKNOWN_STRATEGY_PARAM',
        severity: 'error',
        param: name,
        message: `A value was given for '${name}', but the strategy has no parameter of that name`,
        hint: suggestion ?? `the strategy's parameters are: ${[...byName.keys()].join(', ') || 'none'}`,
      });
    }
  }
  for (const param of byName.values()) {
    const overridden = Object.hasOwn(overrides, param.name);
    const value = overridden ? coerce(param, overrides[param.name] as ParamScalar) : param.default;
    const problem = valueProblem(param, value);
    if (problem !== null) {
      diagnostics.push({
        code: 'INVALID_STRATEGY_PARAM',
        severity: 'error',
        param: param.name,
        message: overridden
          ? `The value given for strategy parameter '${param.name}' ${problem}`
          : `The default of strategy parameter '${param.name}' ${problem}`,
        hint: rangeHint(param),
      });
      continue;
    }
    values.set(param.name, value);
  }
  return values;
}

export function rangeHint(param: StrategyParam): string {
  if (param.type === 'string' && param.options) return `choose one of ${param.options.map(show).join(', ')}`;
  if (param.type === 'int' || param.type === 'number') {
    const kind = param.type === 'int' ? 'a whole number' : 'a number';
    if (param.min !== undefined && param.max !== undefined)
      return `use ${kind} from ${param.min} to ${param.max}`;
    if (param.min !== undefined) return `use ${kind} of at least ${param.min}`;
    if (param.max !== undefined) return `use ${kind} of at most ${param.max}`;
    return `use ${kind}`;
  }
  return `use a ${param.type === 'boolean' ? 'true/false value' : 'text value'}`;
}

export type ConstraintOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
type Operand = { readonly name: string } | { readonly literal: number };
export interface Constraint {
  readonly left: Operand;
  readonly op: ConstraintOp;
  readonly right: Operand;
}

const CONSTRAINT =
  /^\s*([A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)\s*(<=|>=|==|!=|<|>)\s*([A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)\s*$/;

/** Parses `fast < slow`, `atrMult >= 1`; null when the text is not of that form. */
export function parseConstraint(text: string): Constraint | null {
  const match = CONSTRAINT.exec(text);
  if (!match) return null;
  const operand = (token: string): Operand =>
    /^[A-Za-z_]/.test(token) ? { name: token } : { literal: Number(token) };
  return { left: operand(match[1]!), op: match[2] as ConstraintOp, right: operand(match[3]!) };
}

export function holds(left: ParamScalar, op: ConstraintOp, right: ParamScalar): boolean {
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
      return left === right;
    case '!=':
      return left !== right;
  }
}

/** Checks every constraint against the resolved values; declared names with invalid values are skipped. */
export function checkConstraints(
  constraints: readonly string[],
  declared: ReadonlySet<string>,
  values: ReadonlyMap<string, ParamScalar>,
  diagnostics: Diagnostic[],
): void {
  for (const text of constraints) {
    const constraint = parseConstraint(text);
    if (constraint === null) {
      diagnostics.push({
        code: 'INVALID_CONSTRAINT',
        severity: 'error',
        message: `The constraint '${text}' cannot be read`,
        hint: 'write it as <parameter or number> <op> <parameter or number> with op one of < <= > >= == !=, e.g. fast < slow',
      });
      continue;
    }
    let readable = true;
    const resolve = (operand: Operand): ParamScalar | undefined => {
      if ('literal' in operand) return operand.literal;
      if (!declared.has(operand.name)) {
        readable = false;
        diagnostics.push({
          code: 'UNKNOWN_STRATEGY_PARAM',
          severity: 'error',
          param: operand.name,
          message: `The constraint '${text}' names '${operand.name}', which is not a strategy parameter`,
          hint: didYouMean(operand.name, declared) ?? 'declare the parameter or fix the constraint',
        });
      }
      return values.get(operand.name);
    };
    const left = resolve(constraint.left);
    const right = resolve(constraint.right);
    if (!readable || left === undefined || right === undefined) continue;
    const ordering = constraint.op !== '==' && constraint.op !== '!=';
    if (ordering && (typeof left !== 'number' || typeof right !== 'number')) {
      diagnostics.push({
        code: 'INVALID_CONSTRAINT',
        severity: 'error',
        message: `The constraint '${text}' compares values that are not numbers (${show(left)} and ${show(right)})`,
        hint: 'only == and != work for text and true/false parameters',
      });
      continue;
    }
    if (!holds(left, constraint.op, right)) {
      const side = (operand: Operand, value: ParamScalar) =>
        'name' in operand ? `${operand.name} (${show(value)})` : show(value);
      diagnostics.push({
        code: 'CONSTRAINT_VIOLATED',
        severity: 'error',
        param:
          'name' in constraint.left
            ? constraint.left.name
            : 'name' in constraint.right
              ? constraint.right.name
              : undefined,
        message: `${side(constraint.left, left)} must be ${constraint.op} ${side(constraint.right, right)}`,
        hint: 'change the parameter values so the constraint holds',
      });
    }
  }
}

export function toResolvedParams(values: ReadonlyMap<string, ParamScalar>): ResolvedParams {
  return Object.fromEntries(values);
}
