// Which parameters an optimization searched (the table's columns and the heat map's choices): those the
// report's importance names when it exists, else those the request did not fix and whose definition
// gives a range or options to search.
import type { OptimizationReport, OptimizeSpec } from '@candleflow/optimize';
import type { StrategyParam } from '@candleflow/strategy-dsl';

export function searchedParameters(
  params: readonly StrategyParam[],
  spec: Pick<OptimizeSpec, 'ranges'>,
  report: Pick<OptimizationReport, 'importance'> | null,
): string[] {
  if (report?.importance && report.importance.parameters.length > 0) {
    const named = new Set(report.importance.parameters.map((p) => p.name));
    // Keep the strategy's order, which is how the trader declared them.
    return params.map((p) => p.name).filter((n) => named.has(n));
  }
  return params
    .filter((p) => {
      const override = spec.ranges[p.name];
      if (override && 'fixed' in override) return false;
      if (override && 'values' in override) return override.values.length > 1;
      if (p.type === 'boolean') return override !== undefined;
      if (p.type === 'string') return false;
      const min = override && 'min' in override && override.min !== undefined ? override.min : p.min;
      const max = override && 'max' in override && override.max !== undefined ? override.max : p.max;
      return min !== undefined && max !== undefined && max > min;
    })
    .map((p) => p.name);
}
