// Parameter importance: how much of the objective's variance each searched parameter explains on its own,
// as bars, with what no single parameter explains (interactions and noise) last.
import type { OptimizationReport } from '@candleflow/optimize';
import { importanceBars } from './chart-shapes';
import { formatProbability } from './verdicts';

export function Importance({
  importance,
}: {
  readonly importance: NonNullable<OptimizationReport['importance']>;
}) {
  const bars = importanceBars(importance.parameters, importance.unexplained);
  return (
    <div data-testid="importance">
      <p className="bt-hint">
        Share of the objective's variation across trials that each parameter explains alone. A parameter near
        0% hardly matters here; a large remainder means parameters matter together or the results are noisy.
      </p>
      <ul className="op-importance">
        {bars.map((b) => (
          <li key={b.name} data-testid={`importance-${b.unexplained ? 'rest' : b.name}`}>
            <span className="op-importance-name">{b.name}</span>
            <span className="op-importance-track">
              <span
                className={b.unexplained ? 'op-importance-bar op-importance-rest' : 'op-importance-bar'}
                style={{ width: `${b.widthPct}%` }}
              />
            </span>
            <span className="op-importance-value">{formatProbability(b.share)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
