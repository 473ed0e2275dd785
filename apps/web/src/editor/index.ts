// The canvas editor: its page, and the store every other studio panel reads and edits the strategy through.
export {
  EditorLayout,
  type EditorLayoutProps,
  EditorPage,
  type EditorView,
  emptyGraph,
  graphFromServer,
} from './EditorPage';
export {
  type CompileFn,
  compileInBrowser,
  createEditorStore,
  type EditorActions,
  EditorProvider,
  type EditorProviderProps,
  type EditorState,
  type EditorStore,
  type EditorStoreOptions,
  type ReplaceReason,
  type SavedVersion,
  useEditorActions,
  useEditorSelector,
  useEditorState,
  useEditorStore,
} from './store';
export { type SaveFn, type SaveOutcome, saveWorkingGraph, useSave } from './use-save';
