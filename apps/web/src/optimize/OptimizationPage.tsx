// One optimization (/optimizations/:id): status and live progress with the best so far and Cancel; when
// it has finished, the overfitting statistics explained, the results table, heat map, parameter
// importance, walk-forward and Monte Carlo, Apply (best or any row) and the final run's backtest.
import type { TrialPhase } from '@candleflow/optimize';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { formatServerError, useCanEdit } from '../api';
import { pathFor } from '../app/router';
import { formatDate, Link } from '../app/ui';
import '../backtest/backtest.css';
import { useDataset } from '../backtest/queries';
import {
  type Applied,
  isTerminal,
  optimizationKey,
  optimizationsApi,
  useOptimization,
  useOptimizationProgress,
} from './api';
import { formatNumber, paramsText, STATUS_LABEL } from './format';
import { HeatMapSection } from './HeatMap';
import { Importance } from './Importance';
import { MonteCarloSection } from './MonteCarloSection';
import './optimize.css';
import { OverfittingPanel } from './OverfittingPanel';
import { ResultsTable } from './ResultsTable';
import { searchedParameters } from './searched';
import { WalkForwardSection } from './WalkForwardSection';

export interface OptimizationPageProps {
  readonly id: string;
}

function Section(props: { readonly title: string; readonly testId: string; readonly children: ReactNode }) {
  return (
    <section className="bt-section" aria-label={props.title} data-testid={`section-${props.testId}`}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function OptimizationPage({ id }: OptimizationPageProps) {
  const query = useOptimization(id);
  const o = query.data;
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const following = o !== undefined && !isTerminal(o.status);
  const live = useOptimizationProgress(id, following);
  const [applying, setApplying] = useState<number | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const dataset = useDataset(o?.datasetId);

  // The progress stream ended: fetch the finished optimization with its report.
  useEffect(() => {
    if (live && isTerminal(live.status))
      void queryClient.invalidateQueries({ queryKey: optimizationKey(id) });
  }, [live?.status, id, queryClient, live]);

  const parameters = useMemo(() => (o ? searchedParameters(o.params, o.spec, o.report) : []), [o]);

  if (query.isPending) return <div className="bt-page bt-hint">Loading the optimization…</div>;
  if (query.isError || !o) {
    return (
      <div className="bt-page" role="alert" data-testid="optimization-error">
        <h1>Optimization {id}</h1>
        <p>{formatServerError(query.error)}</p>
      </div>
    );
  }

  const status = live && !isTerminal(o.status) ? live.status : o.status;
  const progress = live && !isTerminal(o.status) ? live : o;
  const best = live?.best ?? o.best;
  const percent = Math.round((progress.progress ?? 0) * 100);
  const report = o.report;
  // Equity is in the dataset's quote currency (BTC/USDT → USDT).
  const quote = dataset.data?.symbol.split('/')[1] ?? 'USDT';
  const editorPath = pathFor({ name: 'editor', strategyId: o.strategyId });

  const cancel = async () => {
    setProblem(null);
    try {
      await optimizationsApi().cancel.mutate({ id });
    } catch (error) {
      setProblem(formatServerError(error));
    }
  };

  const apply = async (trialIndex?: number) => {
    setProblem(null);
    setApplied(null);
    setApplying(trialIndex ?? -1);
    try {
      const result = await optimizationsApi().applyTrial.mutate(
        trialIndex === undefined ? { id } : { id, trialIndex },
      );
      setApplied(result);
      void queryClient.invalidateQueries({ queryKey: ['versions'] });
      // The editor works on the strategy it loaded first and never reloads it; forgetting it makes the
      // editor load the new version when it opens.
      queryClient.removeQueries({ queryKey: ['strategies', 'get', result.strategyId] });
      void queryClient.invalidateQueries({ queryKey: ['strategies'] });
    } catch (error) {
      setProblem(formatServerError(error));
    } finally {
      setApplying(null);
    }
  };

  const phases: TrialPhase[] = o.spec.walkForward ? ['search', 'in_sample', 'out_of_sample'] : ['search'];
  const mayApply = canEdit && status === 'SUCCEEDED';

  return (
    <div className="bt-page op-page" data-testid="optimization-page" data-status={status}>
      <header className="bt-toolbar">
        <div>
          <Link to={editorPath} testId="back-to-strategy" className="op-back">
            ← Back to the strategy
          </Link>
          <h1>Optimization</h1>
          <div className="bt-subtitle">
            <Link to={editorPath}>Strategy version {o.versionNumber}</Link>
            <span>{o.datasetName}</span>
            <span>
              {o.spec.method} search · {o.objectiveLabel}
              {o.spec.walkForward
                ? ` · walk-forward ${o.spec.walkForward.mode}, ${o.spec.walkForward.folds} folds`
                : ''}
            </span>
            <span>queued {formatDate(o.queuedAt)}</span>
          </div>
        </div>
        <div className="op-actions">
          {o.finalRunId && (
            <Link to={pathFor({ name: 'run', runId: o.finalRunId })} testId="final-run" className="cf-button">
              Backtest of the best
            </Link>
          )}
          {mayApply && best && (
            <button
              type="button"
              className="cf-button cf-button--primary"
              data-testid="apply-best"
              disabled={applying !== null}
              onClick={() => void apply()}
            >
              {applying === -1 ? 'Applying…' : 'Apply best'}
            </button>
          )}
        </div>
      </header>

      <section
        className="bt-section op-status"
        data-testid="optimization-status"
        data-status={status}
        role="status"
      >
        <div className="op-status-line">
          <span className={`op-badge op-badge-${status.toLowerCase()}`}>{STATUS_LABEL[status]}</span>
          {!isTerminal(status) && (
            <>
              <progress max={100} value={percent} aria-label="Optimization progress" />
              <span data-testid="optimization-percent">{percent}%</span>
            </>
          )}
          <span>
            {progress.doneTrials.toLocaleString('en-US')} of {progress.totalTrials.toLocaleString('en-US')}{' '}
            trials
            {progress.cachedTrials > 0
              ? ` (${progress.cachedTrials.toLocaleString('en-US')} from stored results)`
              : ''}
          </span>
          {progress.stage && !isTerminal(status) && <span className="bt-hint">{progress.stage}</span>}
          {live?.via === 'polling' && <span className="bt-hint">(live updates unavailable; polling)</span>}
          {canEdit && !isTerminal(status) && (
            <button
              type="button"
              className="cf-button"
              data-testid="optimization-cancel"
              onClick={() => void cancel()}
            >
              Cancel
            </button>
          )}
        </div>
        {best && (
          <p data-testid="optimization-best">
            Best {isTerminal(status) ? '' : 'so far '}({o.objectiveLabel}):{' '}
            <strong>{formatNumber(best.objective)}</strong> with{' '}
            {paramsText(best.params, parameters.length ? parameters : undefined)} — {best.metrics.trades}{' '}
            trades, return {formatNumber(best.metrics.totalReturnPct)}%, max drawdown{' '}
            {formatNumber(best.metrics.maxDrawdownPct)}%
          </p>
        )}
        {status === 'FAILED' && (
          <p className="bt-field-error" role="alert" data-testid="optimization-failed">
            {o.error ?? 'The optimization failed without a reason.'}
          </p>
        )}
        {status === 'CANCELED' && (
          <p className="bt-hint">Cancelled: trials already run are kept and reused next time.</p>
        )}
        {report && report.warnings.length > 0 && (
          <ul className="bt-warnings" data-testid="optimization-warnings">
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </section>

      {report && (
        <>
          <Section title="Is the best result real?" testId="overfitting">
            <OverfittingPanel overfitting={report.overfitting} />
          </Section>
          <Section title="Trials" testId="results">
            <p className="bt-hint">
              {report.trials.total.toLocaleString('en-US')} trials,{' '}
              {report.trials.feasible.toLocaleString('en-US')} feasible,{' '}
              {report.trials.cached.toLocaleString('en-US')} from stored results
              {report.trials.failed > 0 ? `, ${report.trials.failed} failed` : ''}.
            </p>
            <ResultsTable
              id={id}
              parameters={parameters}
              objectiveLabel={o.objectiveLabel}
              objectiveIsSharpe={o.spec.objective.metric === 'sharpe'}
              phases={phases}
              folds={o.spec.walkForward?.folds ?? 0}
              applying={applying}
              onApply={mayApply ? (index) => void apply(index) : null}
            />
          </Section>
          <div className="bt-grid-2">
            <Section title="Heat map" testId="heatmap">
              <HeatMapSection
                id={id}
                parameters={parameters}
                objectiveLabel={o.objectiveLabel}
                folds={o.spec.walkForward?.folds ?? 0}
              />
            </Section>
            <Section title="Parameter importance" testId="importance">
              {report.importance ? (
                <Importance importance={report.importance} />
              ) : (
                <p className="bt-hint">Not enough feasible trials to measure importance.</p>
              )}
            </Section>
          </div>
          {report.walkForward && (
            <Section title="Walk-forward" testId="walk-forward">
              <WalkForwardSection report={report.walkForward} parameters={parameters} quote={quote} />
            </Section>
          )}
          {report.monteCarlo && (
            <Section title="Monte Carlo" testId="monte-carlo">
              <MonteCarloSection report={report.monteCarlo} quote={quote} />
            </Section>
          )}
        </>
      )}

      {(applied || problem) && (
        <div
          className={`op-toast${problem ? ' op-toast-error' : ''}`}
          role={problem ? 'alert' : 'status'}
          data-testid="op-toast"
        >
          {applied ? (
            <>
              Saved as version {applied.number}.{' '}
              <Link to={pathFor({ name: 'editor', strategyId: applied.strategyId })} testId="applied-link">
                Open it in the editor
              </Link>
            </>
          ) : (
            problem
          )}
          <button
            type="button"
            className="cf-button cf-button--quiet"
            aria-label="Dismiss"
            onClick={() => {
              setApplied(null);
              setProblem(null);
            }}
          >
            ✕
          </button>
        </div>
      )}
    </div>
  );
}

export default OptimizationPage;
