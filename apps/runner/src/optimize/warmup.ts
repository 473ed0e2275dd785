// The warm-up an optimization's windows leave before each window: the most any searched parameter set
// needs, so a long lookback (slow = 300) is as warmed up on a window's first bar as the defaults are. The
// server checks walk-forward windows with it and the runner cuts them with it: one function, one answer.
import { catalog } from '@candleflow/nodes';
import { type ParamSet, type SearchSpace, valueAt } from '@candleflow/optimize';
import { bindFeedsToData, compile, type GraphInput, GraphSchema } from '@candleflow/strategy-dsl';

/**
 * The largest plan.warmupBars over the parameter sets that bound the space: the defaults, every searched
 * dimension alone at each end of its range (all values of a short list), and every numeric dimension at its
 * maximum at once (chained indicators add their lookbacks). Sets that break a constraint or do not compile
 * are skipped; the defaults must compile.
 */
export function optimizationWarmupBars(
  graph: GraphInput,
  space: SearchSpace,
  data: { readonly symbol: string; readonly timeframe: string },
): number {
  const bound = bindFeedsToData(graph, catalog, data).graph;
  const defaults: Record<string, ParamSet[string]> = {};
  for (const param of GraphSchema.parse(bound).params) defaults[param.name] = param.default;
  const base = { ...defaults, ...space.fixed };
  const candidates: ParamSet[] = [base];
  const allAtMax: Record<string, ParamSet[string]> = { ...base };
  for (const dimension of space.dimensions) {
    for (const value of boundingValues(dimension)) candidates.push({ ...base, [dimension.name]: value });
    if (dimension.kind !== 'categorical') allAtMax[dimension.name] = boundingValues(dimension).at(-1)!;
  }
  candidates.push(allAtMax);

  let warmup = -1;
  for (const [i, paramValues] of candidates.entries()) {
    const compiled = compile(bound, catalog, { paramValues });
    if (compiled.ok) warmup = Math.max(warmup, compiled.plan.warmupBars);
    else if (i === 0) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
      throw new Error(`the strategy does not compile with its default parameters: ${errors.join('; ')}`);
    }
  }
  return warmup;
}

/** The values at the ends of a dimension's range, or every value of a short list. */
function boundingValues(dimension: SearchSpace['dimensions'][number]): ParamSet[string][] {
  if (dimension.size === null) return [dimension.min!, dimension.max!];
  if (dimension.kind === 'categorical' && dimension.size <= 10) {
    return Array.from({ length: dimension.size }, (_, i) => valueAt(dimension, i));
  }
  return [valueAt(dimension, 0), valueAt(dimension, dimension.size - 1)];
}
