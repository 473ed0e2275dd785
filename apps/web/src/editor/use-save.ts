// Save: sends the working graph to versions.save; on success it becomes the saved baseline, on
// COMPILE_FAILED the server's diagnostics are shown on the nodes like local ones.
import type { Graph } from '@candleflow/strategy-dsl';
import { useMutation } from '@tanstack/react-query';
import { describeServerError, trpc } from '../api';
import { diagnosticsFromServerError } from './diagnostics';
import type { EditorStore, SavedVersion } from './store';

export type SaveFn = (input: { strategyId: string; graph: Graph }) => Promise<{ version: SavedVersion }>;

const defaultSave: SaveFn = (input) => trpc.versions.save.mutate(input) as Promise<{ version: SavedVersion }>;

export interface SaveOutcome {
  readonly ok: boolean;
  readonly message: string;
}

/** The save procedure without React, so it can be tested with a fake server call. */
export async function saveWorkingGraph(store: EditorStore, save: SaveFn = defaultSave): Promise<SaveOutcome> {
  store.actions.flushCompile();
  const { graph, strategyId } = store.getState();
  try {
    const result = await save({ strategyId, graph });
    const { id, number, contentHash } = result.version;
    // The graph we sent becomes the baseline: edits made while the request was in flight stay unsaved.
    store.actions.markSaved({ id, number, contentHash }, graph);
    store.actions.setServerDiagnostics([]);
    return { ok: true, message: `Saved as version ${number}.` };
  } catch (error) {
    const diagnostics = diagnosticsFromServerError(error);
    if (diagnostics.length > 0) store.actions.setServerDiagnostics(diagnostics);
    const info = describeServerError(error);
    return { ok: false, message: info.message };
  }
}

export function useSave(store: EditorStore, save?: SaveFn) {
  return useMutation({ mutationFn: () => saveWorkingGraph(store, save) });
}
