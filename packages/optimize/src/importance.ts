// Parameter importance: how much of the objective's variance across trials each parameter explains on
// its own (its main effect), from the feasible trials of a search.
import type { Dimension } from './space';
import type { OptimizationReport, ParameterImportance } from './report';
import type { ParamSet, ParamValue } from './spec';

/** Fewer feasible trials than this say nothing about importance. */
export const MIN_TRIALS_FOR_IMPORTANCE = 4;

/** Numeric parameters with more distinct values than this are grouped into this many quantile bins. */
const MAX_GROUPS = 10;

/**
 * For each parameter, the trials are grouped by its value and the share of the objective's variance
 * between the group means is taken. Reported is the bias-corrected share (epsilon squared: the between-group
 * sum of squares less what (groups − 1) degrees of freedom of pure noise would explain), clipped at 0, so
 * a parameter that does nothing scores about 0 rather than (groups − 1) / (trials − 1).
 */
export function parameterImportance(
  trials: readonly { readonly params: ParamSet; readonly value: number | null }[],
  dimensions: readonly Dimension[],
): OptimizationReport['importance'] {
  const feasible = trials.filter(
    (trial): trial is { params: ParamSet; value: number } =>
      trial.value !== null && Number.isFinite(trial.value),
  );
  const n = feasible.length;
  if (n < MIN_TRIALS_FOR_IMPORTANCE) return null;
  const values = feasible.map((trial) => trial.value);
  const overall = values.reduce((sum, value) => sum + value, 0) / n;
  const total = values.reduce((sum, value) => sum + (value - overall) ** 2, 0);
  if (!(total > 1e-12 * Math.max(1, overall * overall) * n)) return null;

  const parameters: ParameterImportance[] = dimensions.map((dimension) => {
    const groups = groupOf(
      dimension,
      feasible.map((trial) => trial.params[dimension.name]),
    );
    const sums = new Map<number, { count: number; sum: number }>();
    groups.forEach((group, i) => {
      const entry = sums.get(group) ?? { count: 0, sum: 0 };
      entry.count++;
      entry.sum += values[i] as number;
      sums.set(group, entry);
    });
    let between = 0;
    for (const { count, sum } of sums.values()) between += count * (sum / count - overall) ** 2;
    const within = total - between;
    const k = sums.size;
    const noise = k > 1 && n > k ? ((k - 1) * within) / (n - k) : 0;
    return { name: dimension.name, share: Math.min(1, Math.max(0, (between - noise) / total)) };
  });
  parameters.sort((a, b) => b.share - a.share);
  const explained = parameters.reduce((sum, parameter) => sum + parameter.share, 0);
  return { parameters, unexplained: Math.max(0, 1 - explained) };
}

/** Each trial's group for one parameter: its value, or its quantile bin when a numeric one has many values. */
function groupOf(dimension: Dimension, values: readonly (ParamValue | undefined)[]): number[] {
  const distinct = [...new Set(values)];
  const numeric = dimension.kind !== 'categorical' && values.every((value) => typeof value === 'number');
  if (!numeric || distinct.length <= MAX_GROUPS) {
    const index = new Map(distinct.map((value, i) => [value, i]));
    return values.map((value) => index.get(value) as number);
  }
  const sorted = (values as number[]).toSorted((a, b) => a - b);
  // Bin edges at the deciles; equal values always share a bin.
  const edges = [
    ...new Set(
      Array.from(
        { length: MAX_GROUPS - 1 },
        (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / MAX_GROUPS)] as number,
      ),
    ),
  ];
  return (values as number[]).map((value) => edges.filter((edge) => value >= edge).length);
}
