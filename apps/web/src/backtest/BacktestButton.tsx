// The editor toolbar's Backtest button: one click runs the strategy with sensible defaults, an
// "Advanced" panel changes them, progress streams live, and the result page opens when the run ends.
// Charts are not imported here, so the editor's bundle stays free of lightweight-charts.
import type { Diagnostic } from '@candleflow/strategy-dsl';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeServerError, formatServerError, trpc, useCanEdit } from '../api';
import { navigate, pathFor } from '../app/router';
import { saveWorkingGraph } from '../editor/use-save';
import { useEditorState, useEditorStore } from '../editor/store';
import './backtest.css';
import { CompileErrors } from './CompileErrors';
import { type LaunchOutcome, launchBacktest } from './launch';
import { datasetSources, useDatasets, useRunProgress } from './queries';
import { type BacktestForm, type DatasetChoice, defaultForm, type FormErrors } from './settings-form';
import { SettingsPanel } from './SettingsPanel';

export interface BacktestButtonProps {
  readonly strategyId: string;
  /** Set by the editor when running is not allowed at all (read-only); unsaved edits are saved first. */
  readonly disabled?: boolean;
}

const STEP_LABEL = {
  checking: 'Checking…',
  'preparing-data': 'Generating demo data…',
  saving: 'Saving…',
  submitting: 'Starting…',
} as const;

export function BacktestButton({ disabled = false }: BacktestButtonProps) {
  const store = useEditorStore();
  const { graph } = useEditorState();
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const datasets = useDatasets();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<BacktestForm | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState<keyof typeof STEP_LABEL | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [compileErrors, setCompileErrors] = useState<readonly Diagnostic[]>([]);
  const [runId, setRunId] = useState<string | null>(null);
  const progress = useRunProgress(runId);

  const choices: readonly DatasetChoice[] = datasets.data ?? [];
  // The form starts from the defaults once the datasets are known, and keeps the user's edits after.
  const current = form ?? defaultForm(choices);

  useEffect(() => {
    if (progress?.status === 'SUCCEEDED' && runId) navigate(pathFor({ name: 'run', runId }));
  }, [progress?.status, runId]);

  const run = async () => {
    setProblem(null);
    setCompileErrors([]);
    setErrors({});
    setRunId(null);
    let outcome: LaunchOutcome;
    try {
      outcome = await launchBacktest(current, {
        store,
        ...datasetSources(queryClient),
        save: (s) => saveWorkingGraph(s),
        submit: (input) => trpc.backtests.submit.mutate(input),
        onStep: setBusy,
      });
    } finally {
      setBusy(null);
    }
    switch (outcome.kind) {
      case 'compile-errors':
        setCompileErrors(outcome.diagnostics);
        return;
      case 'invalid':
        setErrors(outcome.errors);
        setOpen(true);
        return;
      case 'failed':
        setProblem(outcome.step === 'submit' ? formatServerError(outcome.cause) : outcome.message);
        return;
      case 'submitted':
        setRunId(outcome.runId);
    }
  };

  const cancel = async () => {
    if (!runId) return;
    try {
      await trpc.backtests.cancel.mutate({ id: runId });
    } catch (error) {
      setProblem(describeServerError(error).message);
    }
  };

  const running =
    runId !== null && (progress === null || progress.status === 'QUEUED' || progress.status === 'RUNNING');
  const percent = Math.round((progress?.progress ?? 0) * 100);
  const notAllowed = disabled || !canEdit;

  return (
    <div className="bt-launcher">
      <div className="bt-buttons">
        <button
          type="button"
          className="cf-primary bt-run"
          data-testid="backtest-run"
          disabled={notAllowed || busy !== null || running}
          title={notAllowed ? 'Viewers cannot run backtests' : 'Run a backtest (saves unsaved changes first)'}
          onClick={() => void run()}
        >
          {busy ? STEP_LABEL[busy] : running ? `Backtesting… ${percent}%` : 'Backtest'}
        </button>
        <button
          type="button"
          className="bt-advanced-toggle"
          data-testid="backtest-advanced"
          aria-expanded={open && !notAllowed}
          disabled={notAllowed}
          title={
            notAllowed
              ? 'Viewers cannot change backtest settings'
              : 'Dataset, range, cash, fees, slippage, fills'
          }
          onClick={() => setOpen((o) => !o)}
        >
          Advanced
        </button>
      </div>
      {open && !notAllowed && (
        <div className="bt-popover">
          <SettingsPanel
            form={current}
            errors={errors}
            datasets={choices}
            params={graph.params ?? []}
            onChange={(f) => {
              setForm(f);
              setErrors({});
            }}
          />
          <div className="bt-popover-actions">
            <button
              type="button"
              onClick={() => {
                setForm(defaultForm(choices));
                setErrors({});
              }}
            >
              Reset to defaults
            </button>
          </div>
        </div>
      )}
      {runId !== null && progress !== null && (
        <div
          className="bt-progress"
          data-testid="backtest-progress"
          data-status={progress.status}
          role="status"
        >
          <progress max={100} value={percent} aria-label="Backtest progress" />
          <span>
            {progress.status === 'QUEUED' && 'Queued…'}
            {progress.status === 'RUNNING' && `${percent}%`}
            {progress.status === 'SUCCEEDED' && 'Done — opening the result…'}
            {progress.status === 'FAILED' && `Failed: ${progress.error ?? 'no reason given'}`}
            {progress.status === 'CANCELED' && 'Cancelled'}
          </span>
          {running && (
            <button type="button" onClick={() => void cancel()} data-testid="backtest-cancel">
              Cancel
            </button>
          )}
        </div>
      )}
      <CompileErrors diagnostics={compileErrors} blocked="backtested" testId="backtest-errors" />
      {problem && (
        <div className="bt-errors" data-testid="backtest-problem" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}

export default BacktestButton;
