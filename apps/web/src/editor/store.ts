// The editor's state: the working graph, undo/redo history, selection, dirty tracking against the saved
// version and diagnostics from a debounced in-browser compile. The canvas, code view, versions panel and
// backtest button all read and change the strategy through this one store.
import type { Diagnostic, Graph, GraphEdge, RiskSettings, StrategyParam } from '@candleflow/strategy-dsl';
import { compile } from '@candleflow/strategy-dsl';
import { catalog } from '@candleflow/nodes';
import {
  createContext,
  createElement,
  type ReactNode,
  useContext,
  useState,
  useSyncExternalStore,
} from 'react';
import {
  addNode,
  connect,
  copyNodes,
  canonicalJson,
  type GraphClipboard,
  moveNodes,
  pasteNodes,
  removeEdges,
  removeNodes,
  semanticsChanged,
  setNodeParams,
  setRiskSettings,
  setStrategyParams,
  type XY,
} from './graph-ops';

export interface SavedVersion {
  readonly id: string;
  readonly number: number;
  readonly contentHash: string;
}

export interface EditorState {
  readonly strategyId: string;
  /** The working graph (positions included). */
  readonly graph: Graph;
  readonly savedVersion: SavedVersion | null;
  /** The working graph differs from the saved one; positions count as unsaved too. */
  readonly dirty: boolean;
  /** From the latest in-browser compile, plus server compile errors from the last save until the next edit. */
  readonly diagnostics: readonly Diagnostic[];
  /** Selected node ids. */
  readonly selection: readonly string[];
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Bumped by focusNode so the canvas pans to the node even when it is already selected. */
  readonly focusRequest: { readonly nodeId: string; readonly seq: number } | null;
}

export type ReplaceReason = 'code' | 'restore' | 'template' | 'load' | 'layout';

export interface EditorActions {
  /** Replaces the whole working graph as one undo step. */
  replaceGraph(graph: Graph, reason: ReplaceReason): void;
  /** Replaces one node's params. Consecutive edits of one node (typing) coalesce into one undo step. */
  updateNodeParams(nodeId: string, params: Record<string, unknown>): void;
  select(nodeIds: readonly string[]): void;
  /** Selects the node and asks the canvas to pan/zoom to it. */
  focusNode(nodeId: string): void;
  undo(): void;
  redo(): void;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The working graph (or `graph`, the one sent to the server, when given) becomes the saved baseline. */
  markSaved(version: SavedVersion, graph?: Graph): void;

  // Canvas edits (beyond the shared interface; other panels may use them too).
  addNode(node: {
    type: string;
    version: number;
    params: Record<string, unknown>;
    position: XY;
    id?: string;
  }): string;
  /** Removes nodes (with their edges) and edges, as one undo step. */
  removeElements(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  /** `targetAcceptsMany`: the input is `multiple`; otherwise an existing edge into it is replaced. */
  connect(edge: GraphEdge, targetAcceptsMany: boolean): void;
  /** One undo step per call: the canvas calls it when a drag ends, not on every frame. */
  moveNodes(positions: ReadonlyMap<string, XY>): void;
  copy(nodeIds: readonly string[]): void;
  /** Pastes the clipboard with new ids; returns them (and selects them). */
  paste(offset?: XY): string[];
  duplicate(nodeIds: readonly string[]): string[];
  setStrategyParams(params: readonly StrategyParam[], constraints: readonly string[]): void;
  /** Replaces the strategy's risk limits (undefined: none). Typing in one field coalesces into one undo step. */
  setRisk(risk: RiskSettings | undefined): void;
  /** Server compile errors (from save): shown like local ones until the graph next changes. */
  setServerDiagnostics(diagnostics: readonly Diagnostic[]): void;
  /** Runs the pending compile now (tests, and before save). */
  flushCompile(): void;
}

export type CompileFn = (graph: Graph) => readonly Diagnostic[];

export interface EditorStoreOptions {
  readonly strategyId: string;
  readonly initialGraph: Graph;
  readonly savedVersion: SavedVersion | null;
  /** The graph the saved version holds; defaults to initialGraph when savedVersion is given. */
  readonly savedGraph?: Graph | null;
  readonly compile?: CompileFn;
  /** Debounce of the in-browser compile, ms. */
  readonly compileDelayMs?: number;
  readonly historyLimit?: number;
  /** Clock for coalescing typed edits; injectable for tests. */
  readonly now?: () => number;
}

export interface EditorStore {
  getState(): EditorState;
  subscribe(listener: () => void): () => void;
  readonly actions: EditorActions;
  /** Stops the pending compile timer. */
  dispose(): void;
}

const COALESCE_MS = 1_000;
const PASTE_OFFSET: XY = { x: 40, y: 40 };

export const compileInBrowser: CompileFn = (graph) => compile(graph, catalog).diagnostics;

export function createEditorStore(options: EditorStoreOptions): EditorStore {
  const compileFn = options.compile ?? compileInBrowser;
  const delay = options.compileDelayMs ?? 150;
  const limit = options.historyLimit ?? 200;
  const now = options.now ?? (() => Date.now());

  const past: Graph[] = [];
  let future: Graph[] = [];
  let baseline: Graph | null = options.savedVersion ? (options.savedGraph ?? options.initialGraph) : null;
  // The baseline's text is computed once per save, not once per edit (a 300-node graph is ~50 kB).
  let baselineJson: string | null = baseline ? canonicalJson(baseline) : null;
  let clipboard: GraphClipboard | null = null;
  let lastCoalesce: { key: string; at: number } | null = null;
  let compileTimer: ReturnType<typeof setTimeout> | null = null;
  let localDiagnostics: readonly Diagnostic[] = compileFn(options.initialGraph);
  let serverDiagnostics: readonly Diagnostic[] = [];
  let focusSeq = 0;
  const listeners = new Set<() => void>();

  let state: EditorState = {
    strategyId: options.strategyId,
    graph: options.initialGraph,
    savedVersion: options.savedVersion,
    dirty: isDirty(options.initialGraph),
    diagnostics: localDiagnostics,
    selection: [],
    canUndo: false,
    canRedo: false,
    focusRequest: null,
  };

  function isDirty(graph: Graph): boolean {
    if (baseline === null || baselineJson === null) return true;
    return graph !== baseline && canonicalJson(graph) !== baselineJson;
  }

  function emit(next: Partial<EditorState>): void {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener();
  }

  function mergedDiagnostics(): readonly Diagnostic[] {
    if (serverDiagnostics.length === 0) return localDiagnostics;
    const seen = new Set(localDiagnostics.map(diagnosticKey));
    return [...localDiagnostics, ...serverDiagnostics.filter((d) => !seen.has(diagnosticKey(d)))];
  }

  function runCompile(): void {
    compileTimer = null;
    localDiagnostics = compileFn(state.graph);
    emit({ diagnostics: mergedDiagnostics() });
  }

  function scheduleCompile(): void {
    if (compileTimer !== null) clearTimeout(compileTimer);
    compileTimer = setTimeout(runCompile, delay);
  }

  /** Applies a new working graph. `coalesceKey`: same key within COALESCE_MS → no new undo step. */
  function commit(graph: Graph, coalesceKey?: string, extra: Partial<EditorState> = {}): void {
    const prev = state.graph;
    if (graph === prev) {
      if (Object.keys(extra).length > 0) emit(extra);
      return;
    }
    const t = now();
    const coalesce =
      coalesceKey !== undefined &&
      lastCoalesce !== null &&
      lastCoalesce.key === coalesceKey &&
      t - lastCoalesce.at < COALESCE_MS &&
      past.length > 0;
    if (!coalesce) {
      past.push(prev);
      if (past.length > limit) past.shift();
    }
    lastCoalesce = coalesceKey !== undefined ? { key: coalesceKey, at: t } : null;
    future = [];
    apply(graph, prev, extra);
  }

  function apply(graph: Graph, prev: Graph, extra: Partial<EditorState> = {}): void {
    const semantic = semanticsChanged(prev, graph);
    if (semantic) {
      serverDiagnostics = [];
      scheduleCompile();
    }
    const ids = new Set(graph.nodes.map((n) => n.id));
    const selection = (extra.selection ?? state.selection).filter((id) => ids.has(id));
    emit({
      ...extra,
      graph,
      selection:
        selection.length === state.selection.length && !extra.selection ? state.selection : selection,
      dirty: isDirty(graph),
      canUndo: past.length > 0,
      canRedo: future.length > 0,
      ...(semantic ? { diagnostics: mergedDiagnostics() } : {}),
    });
  }

  const actions: EditorActions = {
    replaceGraph(graph) {
      commit(graph);
    },
    updateNodeParams(nodeId, params) {
      commit(setNodeParams(state.graph, nodeId, params), `params:${nodeId}`);
    },
    select(nodeIds) {
      if (sameIds(nodeIds, state.selection)) return;
      emit({ selection: [...nodeIds] });
    },
    focusNode(nodeId) {
      focusSeq += 1;
      emit({ selection: [nodeId], focusRequest: { nodeId, seq: focusSeq } });
    },
    undo() {
      const prev = past.pop();
      if (!prev) return;
      future.push(state.graph);
      lastCoalesce = null;
      apply(prev, state.graph);
    },
    redo() {
      const next = future.pop();
      if (!next) return;
      past.push(state.graph);
      lastCoalesce = null;
      apply(next, state.graph);
    },
    get canUndo() {
      return past.length > 0;
    },
    get canRedo() {
      return future.length > 0;
    },
    markSaved(version, graph) {
      baseline = graph ?? state.graph;
      baselineJson = canonicalJson(baseline);
      emit({ savedVersion: version, dirty: isDirty(state.graph) });
    },
    addNode(node) {
      const result = addNode(state.graph, node as Parameters<typeof addNode>[1]);
      commit(result.graph, undefined, { selection: [result.id] });
      return result.id;
    },
    removeElements(nodeIds, edgeIds = []) {
      commit(removeEdges(removeNodes(state.graph, new Set(nodeIds)), new Set(edgeIds)));
    },
    connect(edge, targetAcceptsMany) {
      commit(connect(state.graph, edge, targetAcceptsMany));
    },
    moveNodes(positions) {
      commit(moveNodes(state.graph, positions));
    },
    copy(nodeIds) {
      if (nodeIds.length === 0) return;
      clipboard = copyNodes(state.graph, new Set(nodeIds));
    },
    paste(offset = PASTE_OFFSET) {
      if (!clipboard || clipboard.nodes.length === 0) return [];
      const result = pasteNodes(state.graph, clipboard, offset);
      // Pasting again shifts once more, so repeated pastes do not stack exactly on top of each other.
      clipboard = {
        nodes: clipboard.nodes.map((n) => ({
          ...n,
          position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
        })),
        edges: clipboard.edges,
      };
      commit(result.graph, undefined, { selection: result.ids });
      return result.ids;
    },
    duplicate(nodeIds) {
      if (nodeIds.length === 0) return [];
      const result = pasteNodes(state.graph, copyNodes(state.graph, new Set(nodeIds)), PASTE_OFFSET);
      commit(result.graph, undefined, { selection: result.ids });
      return result.ids;
    },
    setStrategyParams(params, constraints) {
      commit(setStrategyParams(state.graph, params, constraints), 'strategy-params');
    },
    setRisk(risk) {
      commit(setRiskSettings(state.graph, risk), 'risk');
    },
    setServerDiagnostics(diagnostics) {
      serverDiagnostics = diagnostics;
      emit({ diagnostics: mergedDiagnostics() });
    },
    flushCompile() {
      if (compileTimer !== null) {
        clearTimeout(compileTimer);
        runCompile();
      }
    },
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    actions,
    dispose() {
      if (compileTimer !== null) clearTimeout(compileTimer);
      compileTimer = null;
    },
  };
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.code}|${d.nodeId ?? ''}|${d.port ?? ''}|${d.param ?? ''}|${d.message}`;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => b[i] === id);
}

const EditorContext = createContext<EditorStore | null>(null);

export interface EditorProviderProps {
  readonly strategyId: string;
  readonly initialGraph: Graph;
  readonly savedVersion: SavedVersion | null;
  readonly children?: ReactNode;
  /** A store made elsewhere (tests, benchmarks); the other props are then ignored. */
  readonly store?: EditorStore;
}

/** Provides one store per mounted editor; remount (key={strategyId}) to load another strategy. */
export function EditorProvider(props: EditorProviderProps) {
  const [store] = useState(
    () =>
      props.store ??
      createEditorStore({
        strategyId: props.strategyId,
        initialGraph: props.initialGraph,
        savedVersion: props.savedVersion,
      }),
  );
  return createElement(EditorContext.Provider, { value: store }, props.children);
}

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store)
    throw new Error('useEditorStore: no EditorProvider above this component; wrap the editor in one');
  return store;
}

export function useEditorState(): EditorState {
  const store = useEditorStore();
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

/** Subscribes to one slice; the component re-renders only when the slice changes (by Object.is). */
export function useEditorSelector<T>(selector: (state: EditorState) => T): T {
  const store = useEditorStore();
  const get = () => selector(store.getState());
  return useSyncExternalStore(store.subscribe, get, get);
}

export function useEditorActions(): EditorActions {
  return useEditorStore().actions;
}
