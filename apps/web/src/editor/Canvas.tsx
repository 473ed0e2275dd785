// The xyflow canvas: renders the store's graph, applies drags locally through applyNodeChanges and
// commits positions once per drag, validates wires as they are drawn (with the reason as a tooltip),
// accepts nodes dropped from the palette and runs the keyboard shortcuts.
import { catalog } from '@candleflow/nodes';
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type FinalConnectionState,
  MiniMap,
  type OnSelectionChangeParams,
  Panel,
  ReactFlow,
  useConnection,
  useReactFlow,
  type EdgeChange,
  type NodeChange,
  type Edge,
} from '@xyflow/react';
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { diagnosticsByNode, type NodeDiagnostics, stableDiagnosticsByNode } from './diagnostics';
import { reconcileEdges, reconcileNodes, type StrategyFlowEdge, type StrategyFlowNode } from './flow-model';
import { autoLayout, type NodeSize } from './layout';
import { type ConnectionAttempt, explainConnection, PORT_KIND_LABELS, PORT_KINDS } from './ports';
import { defaultParams } from './schema-form';
import { commandFor, type EditorCommand, isTypingTarget } from './shortcuts';
import { useEditorSelector, useEditorStore } from './store';
import { StrategyNode } from './StrategyNode';

/** Defined once at module level: a new object per render would remount every node. */
const nodeTypes = { strategy: StrategyNode };
export const DRAG_MIME = 'application/x-candleflow-node';
const REFUSAL_MS = 4_000;
/** Below this canvas width (px) the minimap is hidden and the port legend folds into a button. */
export const NARROW_CANVAS_PX = 600;
/** The first fit never zooms out further than this, so node text stays readable on a phone. */
export const FIRST_FIT_MIN_ZOOM = 0.6;
const FIRST_FIT = { minZoom: FIRST_FIT_MIN_ZOOM, padding: 0.1 } as const;

/** A canvas not yet measured (width 0) counts as wide, so nothing is hidden before layout. */
export function isNarrowCanvas(width: number): boolean {
  return width > 0 && width < NARROW_CANVAS_PX;
}

/** Tracks whether the element is narrower than NARROW_CANVAS_PX. */
function useNarrow(ref: RefObject<HTMLDivElement | null>): boolean {
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setNarrow(isNarrowCanvas(el.clientWidth));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return narrow;
}

/** A connection attempt with source = the output side, whichever end the user started from. */
function attemptFrom(state: {
  fromHandle: { nodeId: string; id?: string | null; type: 'source' | 'target' } | null;
  toHandle: { nodeId: string; id?: string | null } | null;
}): ConnectionAttempt {
  const from = state.fromHandle;
  const to = state.toHandle;
  if (!from || !to) return { source: null, target: null };
  return from.type === 'source'
    ? { source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null }
    : { source: to.nodeId, sourceHandle: to.id ?? null, target: from.nodeId, targetHandle: from.id ?? null };
}

/** Why the wire being drawn may not join the handle under the pointer; null while it may (or none is hovered). */
function useLiveRefusal(): string | null {
  const store = useEditorStore();
  // The selector returns a string, so the component re-renders only when the reason changes, not per pointer move.
  return useConnection((c) =>
    c.inProgress && c.isValid === false && c.toHandle
      ? explainConnection(store.getState().graph, catalog, attemptFrom(c))
      : null,
  );
}

/** Follows the pointer while a wire hovers a port it may not join, saying why. */
function ConnectionTip() {
  const connection = useConnection();
  const reason = useLiveRefusal();
  if (!reason || !connection.inProgress) return null;
  return (
    <div
      className="cf-connection-tip"
      role="tooltip"
      data-testid="connection-tip"
      style={{ left: connection.pointer.x + 14, top: connection.pointer.y + 14 }}
    >
      {reason}
    </div>
  );
}

/**
 * The refusal banner: while a wire hovers an incompatible handle it says why at once (the pointer tooltip can
 * sit under the finger or off-screen), and after a refused drop it keeps the reason up for a few seconds.
 */
function RefusalBanner({ dropped }: { readonly dropped: string | null }) {
  const reason = useLiveRefusal() ?? dropped;
  if (!reason) return null;
  return (
    <div className="cf-refusal" role="status" data-testid="connection-refusal">
      {reason}
    </div>
  );
}

function LegendItems() {
  return (
    <>
      {PORT_KINDS.map((k) => (
        <span key={k} className="cf-legend-item">
          <span className={`cf-swatch kind-${k}`} />
          {PORT_KIND_LABELS[k]}
        </span>
      ))}
    </>
  );
}

/** The port colours; on a narrow canvas a small "Ports" button that unfolds them, so they do not cover nodes. */
function Legend({ collapsed }: { readonly collapsed: boolean }) {
  const [open, setOpen] = useState(false);
  if (!collapsed) {
    return (
      <div className="cf-legend" data-testid="port-legend" title="Port kinds">
        <LegendItems />
      </div>
    );
  }
  return (
    <div className="cf-legend-folded" data-testid="port-legend" data-collapsed={!open}>
      <button
        type="button"
        className="cf-legend-toggle"
        aria-expanded={open}
        data-testid="port-legend-toggle"
        onClick={() => setOpen((o) => !o)}
      >
        Ports {open ? '▴' : '▾'}
      </button>
      {open && (
        <div className="cf-legend">
          <LegendItems />
        </div>
      )}
    </div>
  );
}

export interface CanvasCommands {
  addAtCentre(definition: AnyNodeDefinition): void;
  layout(): void;
  fitView(): void;
}

/** Toolbar and palette actions that need the flow instance; call inside ReactFlowProvider. */
export function useCanvasCommands(wrapper: RefObject<HTMLDivElement | null>): CanvasCommands {
  const store = useEditorStore();
  const flow = useReactFlow();
  return useMemo(
    () => ({
      addAtCentre(definition) {
        const rect = wrapper.current?.getBoundingClientRect();
        const centre = rect
          ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
          : { x: 0, y: 0 };
        store.actions.addNode({
          type: definition.type,
          version: definition.version,
          params: defaultParams(definition),
          position: { x: Math.round(centre.x - 90), y: Math.round(centre.y - 40) },
        });
      },
      layout() {
        const sizes = new Map<string, NodeSize>();
        for (const n of flow.getNodes()) {
          if (n.measured?.width && n.measured.height) {
            sizes.set(n.id, { width: n.measured.width, height: n.measured.height });
          }
        }
        store.actions.replaceGraph(autoLayout(store.getState().graph, sizes), 'layout');
        requestAnimationFrame(() => void flow.fitView({ duration: 200 }));
      },
      fitView() {
        void flow.fitView({ duration: 200 });
      },
    }),
    [flow, store, wrapper],
  );
}

export interface CanvasProps {
  readonly readOnly: boolean;
  readonly wrapperRef: RefObject<HTMLDivElement | null>;
  readonly onCommand?: (command: EditorCommand) => void;
  readonly colorMode?: 'dark' | 'light';
}

export function Canvas({ readOnly, wrapperRef, onCommand, colorMode = 'dark' }: CanvasProps) {
  const store = useEditorStore();
  const { actions } = store;
  const flow = useReactFlow<StrategyFlowNode, StrategyFlowEdge>();
  const graph = useEditorSelector((s) => s.graph);
  const selection = useEditorSelector((s) => s.selection);
  const diagnostics = useEditorSelector((s) => s.diagnostics);
  const focusRequest = useEditorSelector((s) => s.focusRequest);

  const diagRef = useRef<ReadonlyMap<string, NodeDiagnostics>>(new Map());
  const diagByNode = useMemo(() => {
    diagRef.current = stableDiagnosticsByNode(diagRef.current, diagnosticsByNode(diagnostics));
    return diagRef.current;
  }, [diagnostics]);
  const selectionSet = useMemo(() => new Set(selection), [selection]);

  const [nodes, setNodes] = useState<StrategyFlowNode[]>(() =>
    reconcileNodes([], graph, catalog, diagByNode, selectionSet, readOnly),
  );
  const [edges, setEdges] = useState<StrategyFlowEdge[]>(() =>
    reconcileEdges([], graph, catalog, diagByNode),
  );
  const [refusal, setRefusal] = useState<string | null>(null);
  const narrow = useNarrow(wrapperRef);

  useLayoutEffect(() => {
    setNodes((prev) => reconcileNodes(prev, graph, catalog, diagByNode, selectionSet, readOnly));
  }, [graph, diagByNode, selectionSet, readOnly]);
  useLayoutEffect(() => {
    setEdges((prev) => reconcileEdges(prev, graph, catalog, diagByNode));
  }, [graph, diagByNode]);

  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => setRefusal(null), REFUSAL_MS);
    return () => clearTimeout(timer);
  }, [refusal]);

  useEffect(() => {
    if (!focusRequest) return;
    const internal = flow.getInternalNode(focusRequest.nodeId);
    if (!internal) return;
    const w = internal.measured.width ?? 180;
    const h = internal.measured.height ?? 90;
    const p = internal.internals.positionAbsolute;
    void flow.setCenter(p.x + w / 2, p.y + h / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
  }, [focusRequest, flow]);

  const onNodesChange = useCallback((changes: NodeChange<StrategyFlowNode>[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<StrategyFlowEdge>[]) => {
    setEdges((es) => applyEdgeChanges(changes, es));
  }, []);

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: StrategyFlowNode, dragged: StrategyFlowNode[]) => {
      actions.moveNodes(
        new Map(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }])),
      );
    },
    [actions],
  );

  const onSelectionChange = useCallback(
    ({ nodes: selected }: OnSelectionChangeParams<StrategyFlowNode, StrategyFlowEdge>) => {
      actions.select(selected.map((n) => n.id));
    },
    [actions],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) =>
      explainConnection(store.getState().graph, catalog, {
        source: c.source,
        sourceHandle: c.sourceHandle ?? null,
        target: c.target,
        targetHandle: c.targetHandle ?? null,
      }) === null,
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const graph = store.getState().graph;
      const reason = explainConnection(graph, catalog, c);
      if (reason) {
        setRefusal(reason);
        return;
      }
      const target = graph.nodes.find((n) => n.id === c.target);
      const input = target
        ? catalog.get(target.type, target.version)?.inputs.find((p) => p.name === c.targetHandle)
        : undefined;
      actions.connect(
        {
          source: c.source,
          sourcePort: c.sourceHandle ?? '',
          target: c.target,
          targetPort: c.targetHandle ?? '',
        },
        input?.multiple === true,
      );
    },
    [actions, store],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.toHandle || !state.fromHandle) return;
      const reason = explainConnection(store.getState().graph, catalog, attemptFrom(state));
      if (reason) setRefusal(reason);
    },
    [store],
  );

  const onDragOver = useCallback((e: React.DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const key = e.dataTransfer.getData(DRAG_MIME);
      if (!key || readOnly) return;
      e.preventDefault();
      const [type, version] = key.split('@');
      const definition = catalog.get(type ?? '', Number(version));
      if (!definition) return;
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      actions.addNode({
        type: definition.type,
        version: definition.version,
        params: defaultParams(definition),
        position: { x: Math.round(p.x), y: Math.round(p.y) },
      });
    },
    [actions, flow, readOnly],
  );

  const edgesRef = useRef(edges);
  edgesRef.current = edges;
  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const command = commandFor(e);
      if (!command) return;
      const editing = !readOnly;
      const sel = store.getState().selection;
      switch (command) {
        case 'undo':
          if (editing) actions.undo();
          break;
        case 'redo':
          if (editing) actions.redo();
          break;
        case 'copy':
          actions.copy(sel);
          break;
        case 'paste':
          if (editing) actions.paste();
          break;
        case 'duplicate':
          if (editing) actions.duplicate(sel);
          break;
        case 'delete': {
          const selectedEdges = edgesRef.current.filter((x) => x.selected).map((x) => x.id);
          if (editing && (sel.length > 0 || selectedEdges.length > 0))
            actions.removeElements(sel, selectedEdges);
          break;
        }
        case 'selectAll':
          actions.select(store.getState().graph.nodes.map((n) => n.id));
          break;
        default:
          onCommand?.(command);
      }
      e.preventDefault();
    },
    [actions, onCommand, readOnly, store],
  );
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onKeyDown]);

  return (
    <div className="cf-canvas" ref={wrapperRef} data-testid="canvas" data-narrow={narrow}>
      <ReactFlow<StrategyFlowNode, StrategyFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDragOver={onDragOver}
        onDrop={onDrop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        colorMode={colorMode}
        onlyRenderVisibleElements
        minZoom={0.1}
        fitView
        fitViewOptions={FIRST_FIT}
      >
        <Background gap={20} />
        {!narrow && <MiniMap pannable zoomable className="cf-minimap" />}
        <Controls showInteractive={false} />
        <Panel position="top-right" className="cf-legend-panel">
          <Legend collapsed={narrow} />
        </Panel>
        <ConnectionTip />
        <RefusalBanner dropped={refusal} />
      </ReactFlow>
    </div>
  );
}
