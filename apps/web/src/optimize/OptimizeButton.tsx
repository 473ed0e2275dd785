// The editor toolbar's Optimize button: opens the optimize form (saving unsaved edits first), asks the
// server for a live estimate as the form changes, shows a refusal next to the field it names, and
// starts the optimization, whose page then opens. Beside it, the list of the strategy's optimizations.
import type { Diagnostic } from '@candleflow/strategy-dsl';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { describeServerError, useCanEdit } from '../api';
import { CompileErrors } from '../backtest/CompileErrors';
import { navigate, pathFor } from '../app/router';
import { ErrorNotice } from '../app/ui';
import { datasetSources } from '../backtest/queries';
import type { DatasetChoice } from '../backtest/settings-form';
import { useEditorState, useEditorStore } from '../editor/store';
import { saveWorkingGraph } from '../editor/use-save';
import '../backtest/backtest.css';
import './optimize.css';
import { optimizationsApi, useEstimate } from './api';
import { defaultOptimizeForm, formPath, type OptimizeForm, toOptimizeInput } from './form';
import { OptimizeFormView } from './OptimizeForm';
import { PastOptimizations } from './PastOptimizations';
import { prepareOptimize } from './prepare';

export interface OptimizeButtonProps {
  readonly strategyId: string;
  /** Set by the editor when the strategy is read-only. */
  readonly disabled?: boolean;
}

const STEP_LABEL = {
  checking: 'Checking…',
  saving: 'Saving…',
  'preparing-data': 'Generating demo data…',
} as const;

interface Ready {
  readonly versionId: string;
  readonly versionNumber: number;
  readonly datasets: readonly DatasetChoice[];
}

function OptimizeDialog(props: { readonly ready: Ready; readonly onClose: () => void }) {
  const { graph } = useEditorState();
  const params = graph.params ?? [];
  const constraints = graph.constraints ?? [];
  const { datasets, versionId } = props.ready;
  const [form, setForm] = useState<OptimizeForm>(() => defaultOptimizeForm(params, datasets));
  const [starting, setStarting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);

  const checked = useMemo(() => toOptimizeInput(form, { params, datasets }), [form, params, datasets]);
  const request = checked.ok ? { ...checked.input, strategyVersionId: versionId } : null;
  const { query: estimate, current } = useEstimate(request);
  const refusal = estimate.isError ? describeServerError(estimate.error) : null;
  const submitInfo = submitError ? describeServerError(submitError) : null;

  // The form's own errors, then the server's refusal at the paths it names.
  const errors = useMemo(() => {
    const merged: Record<string, string> = checked.ok ? {} : { ...checked.errors };
    for (const info of [refusal, submitInfo]) {
      for (const issue of info?.issues ?? []) merged[formPath(issue.path)] ??= issue.message;
    }
    return merged;
  }, [checked, refusal, submitInfo]);

  const canStart = checked.ok && current && estimate.isSuccess && !starting;

  const start = async () => {
    if (!request) return;
    setStarting(true);
    setSubmitError(null);
    try {
      const { id } = await optimizationsApi().submit.mutate(request);
      navigate(pathFor({ name: 'optimization', optimizationId: id }));
    } catch (error) {
      setSubmitError(error);
      setStarting(false);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.onClose]);

  return (
    <div className="op-overlay">
      <div
        className="op-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="op-title"
        data-testid="optimize-dialog"
      >
        <header className="op-dialog-head">
          <h2 id="op-title">Optimize version {props.ready.versionNumber}</h2>
          <button
            type="button"
            className="cf-button cf-button--quiet"
            onClick={props.onClose}
            aria-label="Close"
          >
            ✕
          </button>
        </header>
        <div className="op-dialog-body">
          <OptimizeFormView
            form={form}
            params={params}
            constraints={constraints}
            datasets={datasets}
            errors={errors}
            backtestErrors={checked.ok ? {} : checked.backtestErrors}
            onChange={(f) => {
              setForm(f);
              setSubmitError(null);
            }}
          />
        </div>
        <footer className="op-dialog-foot">
          <div className="op-estimate" data-testid="op-estimate" data-state={estimateState()} role="status">
            {estimateText()}
          </div>
          {submitInfo && <ErrorNotice error={submitInfo} testId="op-submit-error" />}
          <div className="op-dialog-actions">
            <button type="button" className="cf-button" onClick={props.onClose}>
              Close
            </button>
            <button
              type="button"
              className="cf-button cf-button--primary"
              data-testid="op-start"
              disabled={!canStart}
              onClick={() => void start()}
            >
              {starting ? 'Starting…' : 'Start'}
            </button>
          </div>
        </footer>
      </div>
    </div>
  );

  function estimateState(): string {
    if (!checked.ok) return 'invalid';
    if (refusal && current) return 'refused';
    if (!current) return 'pending';
    return estimate.isSuccess ? 'ok' : 'pending';
  }

  function estimateText(): string {
    if (!checked.ok) return 'Fix the fields marked in red to see how many trials this runs.';
    if (refusal && current) return `Refused: ${refusal.message}`;
    if (!current || !estimate.data) return 'Estimating…';
    const e = estimate.data;
    const grid =
      e.gridSize !== null && e.gridSize !== e.searchTrials
        ? ` (of a ${e.gridSize.toLocaleString('en-US')}-combination grid, before constraints)`
        : '';
    const per =
      e.folds > 0
        ? `: ${e.searchTrials.toLocaleString('en-US')} per search${grid}, on the whole dataset and in each of ${e.folds} walk-forward folds, plus each fold's out-of-sample test`
        : grid;
    const warnings = e.warnings.length > 0 ? ` · ${e.warnings.join(' · ')}` : '';
    return `${e.trials.toLocaleString('en-US')} trials${per} on ${e.bars.toLocaleString('en-US')} bars${warnings}`;
  }
}

export function OptimizeButton({ strategyId, disabled = false }: OptimizeButtonProps) {
  const store = useEditorStore();
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<keyof typeof STEP_LABEL | null>(null);
  const [ready, setReady] = useState<Ready | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [compileErrors, setCompileErrors] = useState<readonly Diagnostic[]>([]);
  const notAllowed = disabled || !canEdit;

  const open = async () => {
    setProblem(null);
    setCompileErrors([]);
    try {
      const prepared = await prepareOptimize({
        store,
        ...datasetSources(queryClient),
        save: (s) => saveWorkingGraph(s),
        onStep: setBusy,
      });
      if (prepared.kind === 'compile-errors') setCompileErrors(prepared.diagnostics);
      else if (prepared.kind === 'failed') setProblem(prepared.message);
      else setReady(prepared);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="bt-launcher">
      <div className="bt-buttons">
        <button
          type="button"
          className="op-open"
          data-testid="optimize-open"
          disabled={notAllowed || busy !== null}
          title={
            notAllowed
              ? 'Viewers cannot run optimizations'
              : 'Search parameter values (saves unsaved changes first)'
          }
          onClick={() => void open()}
        >
          {busy ? STEP_LABEL[busy] : 'Optimize'}
        </button>
        <PastOptimizations strategyId={strategyId} />
      </div>
      {ready && <OptimizeDialog ready={ready} onClose={() => setReady(null)} />}
      <CompileErrors diagnostics={compileErrors} blocked="optimized" testId="optimize-errors" />
      {problem && (
        <div className="bt-errors" data-testid="optimize-problem" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}

export default OptimizeButton;
