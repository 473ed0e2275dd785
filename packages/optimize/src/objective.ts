// What "best" means for an optimization: one metric or a weighted mix of them, and the constraints
// (minimum trades, maximum drawdown) that make a trial infeasible, said in a trader's words.
import type { Score, TrialMetrics } from './report';
import type { ObjectiveMetric, ObjectiveSpec } from './spec';

/**
 * The engine leaves profit factor null when no trade lost (gross profit / 0). Such a trial is scored
 * at this cap, and so is any larger finite factor: otherwise one winning trade out of two would beat
 * every strategy with a single losing trade, and a weighted mix would be swamped by it.
 */
export const PROFIT_FACTOR_CAP = 10;

const LABELS: Record<ObjectiveMetric, { readonly long: string; readonly short: string }> = {
  sharpe: { long: 'Sharpe ratio', short: 'Sharpe' },
  sortino: { long: 'Sortino ratio', short: 'Sortino' },
  calmar: { long: 'Calmar ratio', short: 'Calmar' },
  totalReturn: { long: 'Total return (%)', short: 'Total return %' },
  profitFactor: { long: 'Profit factor', short: 'Profit factor' },
};

/** Why a metric has no value, for the infeasibility reason. */
const UNDEFINED_BECAUSE: Record<ObjectiveMetric, string> = {
  sharpe: 'the Sharpe ratio is undefined (flat equity or too few bars)',
  sortino: 'the Sortino ratio is undefined (no losing periods or too few bars)',
  calmar: 'the Calmar ratio is undefined (no drawdown or no annual return)',
  totalReturn: 'the total return is undefined',
  profitFactor: 'the profit factor is undefined (no trades, or every trade broke even)',
};

function metricValue(metric: ObjectiveMetric, metrics: TrialMetrics): number | null {
  switch (metric) {
    case 'sharpe':
      return metrics.sharpe;
    case 'sortino':
      return metrics.sortino;
    case 'calmar':
      return metrics.calmar;
    case 'totalReturn':
      return metrics.totalReturnPct;
    case 'profitFactor':
      if (metrics.profitFactor !== null) return Math.min(metrics.profitFactor, PROFIT_FACTOR_CAP);
      // Null with winning trades means no trade lost: infinite, so the cap.
      return metrics.trades > 0 && (metrics.winRatePct ?? 0) > 0 ? PROFIT_FACTOR_CAP : null;
  }
}

function weightedTerms(objective: ObjectiveSpec): [ObjectiveMetric, number][] {
  if (objective.metric !== 'weighted') return [[objective.metric, 1]];
  return (Object.entries(objective.weights ?? {}) as [ObjectiveMetric, number][]).filter(
    ([, weight]) => weight !== 0,
  );
}

export function scoreTrial(metrics: TrialMetrics, objective: ObjectiveSpec): Score {
  let value: number | null = 0;
  let reason: string | undefined;
  for (const [metric, weight] of weightedTerms(objective)) {
    const term = metricValue(metric, metrics);
    if (term === null || !Number.isFinite(term)) {
      value = null;
      reason ??= UNDEFINED_BECAUSE[metric];
      continue;
    }
    if (value !== null) value += weight * term;
  }
  if (reason === undefined && objective.minTrades !== undefined && metrics.trades < objective.minTrades) {
    reason = `${metrics.trades} ${metrics.trades === 1 ? 'trade' : 'trades'}, fewer than the minimum ${objective.minTrades}`;
  }
  if (
    reason === undefined &&
    objective.maxDrawdownPct !== undefined &&
    metrics.maxDrawdownPct > objective.maxDrawdownPct
  ) {
    reason = `maximum drawdown ${round(metrics.maxDrawdownPct)}%, deeper than the limit ${objective.maxDrawdownPct}%`;
  }
  return reason === undefined ? { value, feasible: value !== null } : { value, feasible: false, reason };
}

/** "Sharpe ratio", or "0.5×Sharpe + 0.5×Calmar" for a weighted mix. */
export function describeObjective(objective: ObjectiveSpec): string {
  if (objective.metric !== 'weighted') return LABELS[objective.metric].long;
  return weightedTerms(objective)
    .map(([metric, weight], i) => {
      const sign = weight < 0 ? (i === 0 ? '−' : ' − ') : i === 0 ? '' : ' + ';
      return `${sign}${Math.abs(weight)}×${LABELS[metric].short}`;
    })
    .join('');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
