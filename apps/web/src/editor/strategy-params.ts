// Validation and edits behind the strategy panel: declared strategy parameters and the constraints
// between them, with messages from the graph's own zod schema and the compiler's constraint parser.
import { parseConstraint, type StrategyParam, StrategyParamSchema } from '@candleflow/strategy-dsl';
import { uniqueNodeId } from './graph-ops';

/** zod's message per field of one declaration, plus duplicate-name detection across the list. */
export function strategyParamErrors(params: readonly StrategyParam[]): Record<string, string>[] {
  return params.map((p, i) => {
    const errors: Record<string, string> = {};
    const result = StrategyParamSchema.safeParse(p);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? 'name');
        errors[key] ??= issue.message;
      }
    }
    if (params.findIndex((q) => q.name === p.name) !== i)
      errors.name ??= `“${p.name}” is declared twice; rename one.`;
    if (p.type === 'int' || p.type === 'number') {
      if (typeof p.default !== 'number') errors.default ??= 'The default must be a number.';
      else if (p.min !== undefined && p.default < p.min)
        errors.default ??= `The default is below the minimum ${p.min}.`;
      else if (p.max !== undefined && p.default > p.max)
        errors.default ??= `The default is above the maximum ${p.max}.`;
      if (p.type === 'int' && typeof p.default === 'number' && !Number.isInteger(p.default)) {
        errors.default ??= 'An int parameter needs a whole-number default.';
      }
      if (p.min !== undefined && p.max !== undefined && p.min > p.max)
        errors.max ??= 'The maximum is below the minimum.';
    }
    return errors;
  });
}

/** Why a constraint cannot be used, or null. */
export function constraintError(text: string, declared: readonly StrategyParam[]): string | null {
  const parsed = parseConstraint(text);
  if (!parsed) return `“${text}” is not a constraint; write it like fast < slow or atrMult >= 1.`;
  const names = new Set(declared.map((p) => p.name));
  for (const side of [parsed.left, parsed.right]) {
    if ('name' in side && !names.has(side.name))
      return `“${side.name}” is not a declared strategy parameter.`;
  }
  return null;
}

/** A new int parameter with a free name (`param`, `param_2`, …). */
export function newStrategyParam(existing: readonly StrategyParam[]): StrategyParam {
  const name = uniqueNodeId('param', new Set(existing.map((p) => p.name)));
  return { name, type: 'int', default: 10, min: 1, max: 100, step: 1 };
}

/** Changes a parameter's type and gives it a default of that type. */
export function retypeStrategyParam(p: StrategyParam, type: StrategyParam['type']): StrategyParam {
  const { min, max, step, options, ...rest } = p;
  if (type === 'boolean') return { ...rest, type, default: false };
  if (type === 'string') return { ...rest, type, default: typeof p.default === 'string' ? p.default : '' };
  const n = typeof p.default === 'number' ? p.default : 1;
  return {
    ...rest,
    type,
    default: type === 'int' ? Math.round(n) : n,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(step !== undefined ? { step } : {}),
  };
}
