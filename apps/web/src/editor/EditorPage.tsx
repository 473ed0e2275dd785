// The editor page (route /strategies/:id): loads the strategy's latest version into the editor store and
// lays out toolbar, palette, canvas and/or code view, inspector, strategy panel, versions and problems.
import { type Graph, GRAPH_SCHEMA_VERSION, GraphSchema } from '@candleflow/strategy-dsl';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeServerError, trpc, useCanEdit } from '../api';
import { useTheme } from '../app/theme';
import { Canvas, useCanvasCommands } from './Canvas';
import { DiagnosticsList } from './DiagnosticsList';
import { Inspector } from './Inspector';
import {
  BacktestButtonSlot,
  CodeView,
  Deferred,
  OptimizeButtonSlot,
  VersionHistoryPanel,
} from './lazy-panels';
import { Palette } from './Palette';
import type { EditorCommand } from './shortcuts';
import { EditorProvider, type SavedVersion, useEditorSelector, useEditorStore } from './store';
import { StrategyPanel } from './StrategyPanel';
import { type SaveFn, useSave } from './use-save';
import './editor.css';

export type EditorView = 'canvas' | 'split' | 'code';
type SideTab = 'inspector' | 'strategy' | 'versions';
/** On a phone one pane shows at a time. */
type MobilePane = 'palette' | 'canvas' | 'side' | 'problems';

/** The graph a strategy without any saved version starts from. */
export function emptyGraph(name: string): Graph {
  return { schemaVersion: GRAPH_SCHEMA_VERSION, name, params: [], constraints: [], nodes: [], edges: [] };
}

/** Server JSON → Graph with defaults filled; a graph that does not parse is kept as is so the compiler explains it. */
export function graphFromServer(raw: unknown, name: string): Graph {
  if (raw == null) return emptyGraph(name);
  const parsed = GraphSchema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as Graph);
}

export function EditorPage({ strategyId }: { readonly strategyId: string }) {
  const query = useQuery({
    queryKey: ['strategies', 'get', strategyId],
    queryFn: () => trpc.strategies.get.query({ id: strategyId }),
    // The editor owns the working copy once loaded; a background refetch must not look like a new load.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const canEdit = useCanEdit();
  if (query.isPending) return <p className="cf-muted cf-editor-loading">Loading strategy…</p>;
  if (query.isError) {
    return (
      <p className="cf-error" role="alert">
        Could not load strategy {strategyId}: {describeServerError(query.error).message}
      </p>
    );
  }
  const strategy = query.data;
  const latest = strategy.latest;
  const savedVersion: SavedVersion | null = latest
    ? { id: latest.id, number: latest.number, contentHash: latest.contentHash }
    : null;
  return (
    <EditorProvider
      key={strategyId}
      strategyId={strategyId}
      initialGraph={graphFromServer(latest?.graph, strategy.name)}
      savedVersion={savedVersion}
    >
      <ReactFlowProvider>
        <EditorLayout readOnly={!canEdit || !strategy.mine} />
      </ReactFlowProvider>
    </EditorProvider>
  );
}

export interface EditorLayoutProps {
  readonly readOnly: boolean;
  /** The server call behind Save; tests pass a fake. */
  readonly save?: SaveFn;
}

export function EditorLayout({ readOnly, save: saveFn }: EditorLayoutProps) {
  const store = useEditorStore();
  const { actions } = store;
  const name = useEditorSelector((s) => s.graph.name);
  const dirty = useEditorSelector((s) => s.dirty);
  const canUndo = useEditorSelector((s) => s.canUndo);
  const canRedo = useEditorSelector((s) => s.canRedo);
  const saved = useEditorSelector((s) => s.savedVersion);
  const strategyId = useEditorSelector((s) => s.strategyId);
  const selectionSize = useEditorSelector((s) => s.selection.length);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const commands = useCanvasCommands(wrapperRef);
  const save = useSave(store, saveFn);
  const [view, setView] = useState<EditorView>('canvas');
  const [tab, setTab] = useState<SideTab>('inspector');
  const [pane, setPane] = useState<MobilePane>('canvas');
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // Follows the theme toggle while the editor is open.
  const { theme: colorMode } = useTheme();

  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${name} — Candleflow`;
  }, [dirty, name]);

  useEffect(() => {
    if (!dirty) return;
    const guard = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [dirty]);

  // Selecting a node brings its form up.
  useEffect(() => {
    if (selectionSize > 0) setTab('inspector');
  }, [selectionSize]);

  const doSave = useCallback(() => {
    if (readOnly || save.isPending) return;
    save.mutate(undefined, {
      onSuccess: (outcome) => setSaveMessage({ ok: outcome.ok, text: outcome.message }),
    });
  }, [readOnly, save]);

  const onCommand = useCallback(
    (command: EditorCommand) => {
      if (command === 'palette') {
        setPane('palette');
        requestAnimationFrame(() => searchRef.current?.focus());
      } else if (command === 'layout' && !readOnly) commands.layout();
      else if (command === 'fitView') commands.fitView();
      else if (command === 'save') doSave();
    },
    [commands, doSave, readOnly],
  );

  return (
    <div className="cf-editor" data-view={view} data-pane={pane} data-testid="editor">
      <header className="cf-toolbar">
        <h2 className="cf-title" data-testid="editor-title" title={dirty ? 'Unsaved changes' : 'Saved'}>
          {dirty && (
            <span className="cf-dirty" data-testid="unsaved-indicator">
              •{' '}
            </span>
          )}
          {name}
          <span className="cf-muted cf-version">{saved ? ` v${saved.number}` : ' (never saved)'}</span>
        </h2>
        <div className="cf-toolbar-group">
          <button
            type="button"
            onClick={actions.undo}
            disabled={readOnly || !canUndo}
            data-testid="undo"
            title="Undo (Ctrl+Z)"
          >
            ↶
          </button>
          <button
            type="button"
            onClick={actions.redo}
            disabled={readOnly || !canRedo}
            data-testid="redo"
            title="Redo (Ctrl+Shift+Z)"
          >
            ↷
          </button>
          <button
            type="button"
            onClick={commands.layout}
            disabled={readOnly}
            data-testid="auto-layout"
            title="Auto-layout (Shift+L)"
          >
            Layout
          </button>
          <button type="button" onClick={commands.fitView} data-testid="fit-view" title="Fit view (Shift+F)">
            Fit
          </button>
        </div>
        <div className="cf-toolbar-group">
          {(['canvas', 'split', 'code'] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              data-testid={`view-${v}`}
              onClick={() => setView(v)}
            >
              {v === 'canvas' ? 'Canvas' : v === 'split' ? 'Split' : 'Code'}
            </button>
          ))}
        </div>
        <div className="cf-toolbar-group">
          <button
            type="button"
            className="cf-primary"
            onClick={doSave}
            disabled={readOnly || save.isPending || !dirty}
            data-testid="save"
            title="Save a new version (Ctrl+S)"
          >
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          <BacktestButtonSlot strategyId={strategyId} readOnly={readOnly} />
          <OptimizeButtonSlot strategyId={strategyId} readOnly={readOnly} />
        </div>
        {saveMessage && (
          <span
            className={saveMessage.ok ? 'cf-ok' : 'cf-error'}
            role={saveMessage.ok ? 'status' : 'alert'}
            data-testid="save-message"
          >
            {saveMessage.text}
          </span>
        )}
        {readOnly && <span className="cf-muted">Read-only</span>}
      </header>
      <nav className="cf-mobile-tabs" aria-label="Editor panes">
        {(['palette', 'canvas', 'side', 'problems'] as const).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={pane === p}
            onClick={() => setPane(p)}
            data-testid={`pane-${p}`}
          >
            {p === 'side' ? 'Inspector' : p.charAt(0).toUpperCase() + p.slice(1)}
          </button>
        ))}
      </nav>
      <div className="cf-editor-body">
        <aside className="cf-left">
          <Palette ref={searchRef} onAdd={commands.addAtCentre} disabled={readOnly} />
        </aside>
        <main className="cf-center">
          {view !== 'code' && (
            <Canvas readOnly={readOnly} wrapperRef={wrapperRef} onCommand={onCommand} colorMode={colorMode} />
          )}
          {view !== 'canvas' && (
            <section className="cf-code-pane" aria-label="Code view">
              <Deferred>
                <CodeView readOnly={readOnly} />
              </Deferred>
            </section>
          )}
        </main>
        <aside className="cf-right">
          <div className="cf-tabs" role="tablist">
            {(['inspector', 'strategy', 'versions'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                data-testid={`tab-${t}`}
                onClick={() => setTab(t)}
              >
                {t.charAt(0).toUpperCase() + t.slice(1)}
              </button>
            ))}
          </div>
          <div className="cf-tab-body">
            {tab === 'inspector' && <Inspector readOnly={readOnly} />}
            {tab === 'strategy' && <StrategyPanel readOnly={readOnly} />}
            {tab === 'versions' && <VersionHistoryPanel readOnly={readOnly} />}
          </div>
        </aside>
        <footer className="cf-bottom">
          <DiagnosticsList />
        </footer>
      </div>
    </div>
  );
}
