// A strategy's optimizations as a list a trader scans: status (with progress while it runs), the version
// optimized, method and objective, how many trials ran on which dataset, the best value with its
// parameters, a failed run's error, when it was started, and a link to its page.
import { pathFor } from '../app/router';
import { formatDate, Link } from '../app/ui';
import { isTerminal, type OptimizationSummary } from './api';
import { formatNumber, paramsText, STATUS_LABEL } from './format';

function bestText(o: OptimizationSummary): string {
  if (o.best) {
    const soFar = isTerminal(o.status) ? '' : ' so far';
    return `Best${soFar} ${formatNumber(o.best.objective)} with ${paramsText(o.best.params)}`;
  }
  if (!isTerminal(o.status)) return 'No trial has finished yet';
  return o.status === 'SUCCEEDED' ? 'No trial met the constraints' : 'No result';
}

const count = new Intl.NumberFormat('en-US');

/** "40 of 120 trials on BTC 1h" */
function trialsText(o: OptimizationSummary): string {
  const trials = o.totalTrials === 1 ? 'trial' : 'trials';
  return `${count.format(o.doneTrials)} of ${count.format(o.totalTrials)} ${trials} on ${o.datasetName}`;
}

export function OptimizationList(props: { readonly items: readonly OptimizationSummary[] }) {
  return (
    <ol className="op-list" data-testid="optimization-list">
      {props.items.map((o) => {
        const percent = Math.round(o.progress * 100);
        const running = !isTerminal(o.status);
        return (
          <li key={o.id} data-testid="optimization-item" data-status={o.status}>
            <Link to={pathFor({ name: 'optimization', optimizationId: o.id })} className="op-list-link">
              <span className="op-list-head">
                <span className={`op-badge op-badge-${o.status.toLowerCase()}`}>
                  {STATUS_LABEL[o.status]}
                  {running ? ` ${percent}%` : ''}
                </span>
                <span className="op-list-what">
                  v{o.versionNumber} · {o.method} search · {o.objectiveLabel}
                </span>
                <span className="op-list-when">{formatDate(o.queuedAt)}</span>
              </span>
              {running && (
                <progress max={100} value={percent} aria-label={`Optimization progress ${percent}%`} />
              )}
              <span className="op-list-best" data-testid="optimization-item-trials">
                {trialsText(o)}
              </span>
              <span className="op-list-best" data-testid="optimization-item-best">
                {bestText(o)}
              </span>
              {o.status === 'FAILED' && o.error && (
                <span className="bt-field-error" data-testid="optimization-item-error">
                  {o.error}
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
