// What one click on Backtest does, without React: refuse a strategy that does not compile, find a
// dataset (generating the demo one for a user who has none), check the settings, save the working graph
// when it is unsaved so the run is reproducible, and submit the saved version.
import type { Diagnostic } from '@candleflow/strategy-dsl';
import type { EditorStore } from '../editor/store';
import {
  type BacktestForm,
  type DatasetChoice,
  type FormErrors,
  paramValueErrors,
  type SubmitSettings,
  validateForm,
} from './settings-form';

export interface LaunchDeps {
  readonly store: EditorStore;
  /** The user's datasets, newest first. */
  readonly listDatasets: () => Promise<readonly DatasetChoice[]>;
  /** Creates the demo dataset for a user who has none. */
  readonly generateDemo: () => Promise<DatasetChoice>;
  /** Saves the working graph as a new version and marks it saved in the store. */
  readonly save: (store: EditorStore) => Promise<{ readonly ok: boolean; readonly message: string }>;
  readonly submit: (input: {
    strategyVersionId: string;
    datasetId: string;
    settings: SubmitSettings;
  }) => Promise<{ readonly id: string }>;
  /** Told each step as it starts, for the button's label. */
  readonly onStep?: (step: 'checking' | 'preparing-data' | 'saving' | 'submitting') => void;
}

export type LaunchOutcome =
  | { readonly kind: 'compile-errors'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'invalid'; readonly errors: FormErrors; readonly datasets: readonly DatasetChoice[] }
  | {
      readonly kind: 'failed';
      readonly step: 'data' | 'save' | 'submit';
      readonly message: string;
      /** What the server call threw, for its error code. */
      readonly cause?: unknown;
    }
  | {
      readonly kind: 'submitted';
      readonly runId: string;
      readonly versionNumber: number;
      /** True when this click saved the graph first. */
      readonly saved: boolean;
      readonly datasets: readonly DatasetChoice[];
    };

function message(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** Compiles what is on the canvas now and returns its errors (none: the strategy can run). */
export function compileErrors(store: EditorStore): readonly Diagnostic[] {
  store.actions.flushCompile();
  return store.getState().diagnostics.filter((d) => d.severity === 'error');
}

/** The user's datasets, newest first; the demo dataset is generated for a user who has none. */
export async function datasetsOrDemo(deps: {
  readonly listDatasets: () => Promise<readonly DatasetChoice[]>;
  readonly generateDemo: () => Promise<DatasetChoice>;
  readonly onStep?: (step: 'preparing-data') => void;
}): Promise<readonly DatasetChoice[]> {
  const datasets = await deps.listDatasets();
  if (datasets.length > 0) return datasets;
  deps.onStep?.('preparing-data');
  return [await deps.generateDemo()];
}

export async function launchBacktest(form: BacktestForm, deps: LaunchDeps): Promise<LaunchOutcome> {
  const { store } = deps;
  deps.onStep?.('checking');
  const errors = compileErrors(store);
  if (errors.length > 0) return { kind: 'compile-errors', diagnostics: errors };

  let datasets: readonly DatasetChoice[];
  try {
    datasets = await datasetsOrDemo(deps);
  } catch (error) {
    return {
      kind: 'failed',
      step: 'data',
      message: `Could not prepare a dataset: ${message(error)}`,
      cause: error,
    };
  }
  const chosen = datasets.some((d) => d.id === form.datasetId)
    ? form
    : { ...form, datasetId: datasets[0]!.id };

  const { graph } = store.getState();
  const checked = validateForm(chosen, { datasets, params: graph.params ?? [] });
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors, datasets };
  const paramErrors = paramValueErrors(graph, checked.settings.paramValues);
  if (Object.keys(paramErrors).length > 0) return { kind: 'invalid', errors: paramErrors, datasets };

  let saved = false;
  const before = store.getState();
  if (before.dirty || before.savedVersion === null) {
    deps.onStep?.('saving');
    const outcome = await deps.save(store);
    if (!outcome.ok)
      return { kind: 'failed', step: 'save', message: `Not run: saving failed. ${outcome.message}` };
    saved = true;
  }
  const version = store.getState().savedVersion;
  if (version === null)
    return { kind: 'failed', step: 'save', message: 'Not run: the strategy has no saved version.' };

  deps.onStep?.('submitting');
  try {
    const run = await deps.submit({
      strategyVersionId: version.id,
      datasetId: checked.datasetId,
      settings: checked.settings,
    });
    return { kind: 'submitted', runId: run.id, versionNumber: version.number, saved, datasets };
  } catch (error) {
    return { kind: 'failed', step: 'submit', message: message(error), cause: error };
  }
}
