// What opening the optimize form needs, without React: a strategy that compiles, saved as a version
// (unsaved edits are saved first, so the estimate and the run use what is on the canvas), and at least
// one dataset (the demo one is generated for a user who has none).
import type { Diagnostic } from '@candleflow/strategy-dsl';
import { compileErrors, datasetsOrDemo } from '../backtest/launch';
import type { DatasetChoice } from '../backtest/settings-form';
import type { EditorStore } from '../editor/store';

export interface PrepareDeps {
  readonly store: EditorStore;
  readonly listDatasets: () => Promise<readonly DatasetChoice[]>;
  readonly generateDemo: () => Promise<DatasetChoice>;
  readonly save: (store: EditorStore) => Promise<{ readonly ok: boolean; readonly message: string }>;
  readonly onStep?: (step: 'checking' | 'saving' | 'preparing-data') => void;
}

export type Prepared =
  | { readonly kind: 'compile-errors'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'failed'; readonly message: string }
  | {
      readonly kind: 'ready';
      readonly versionId: string;
      readonly versionNumber: number;
      readonly datasets: readonly DatasetChoice[];
    };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function prepareOptimize(deps: PrepareDeps): Promise<Prepared> {
  const { store } = deps;
  deps.onStep?.('checking');
  const errors = compileErrors(store);
  if (errors.length > 0) return { kind: 'compile-errors', diagnostics: errors };

  const before = store.getState();
  if (before.dirty || before.savedVersion === null) {
    deps.onStep?.('saving');
    const saved = await deps.save(store);
    if (!saved.ok)
      return {
        kind: 'failed',
        message: `Saving failed, so there is nothing to optimize yet. ${saved.message}`,
      };
  }
  const version = store.getState().savedVersion;
  if (version === null) return { kind: 'failed', message: 'The strategy has no saved version to optimize.' };

  let datasets: readonly DatasetChoice[];
  try {
    datasets = await datasetsOrDemo(deps);
  } catch (error) {
    return { kind: 'failed', message: `Could not prepare a dataset: ${message(error)}` };
  }
  return { kind: 'ready', versionId: version.id, versionNumber: version.number, datasets };
}
