// @vitest-environment happy-dom
// The canvas through the rendered editor: refusals while a wire is drawn, the narrow (phone) canvas, the
// first fit, and the keyboard and mouse gestures (copy/paste, duplicate, shift-click, Layout).
import { catalog } from '@candleflow/nodes';
import type { Graph } from '@candleflow/strategy-dsl';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider, useStoreApi } from '@xyflow/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIRST_FIT_MIN_ZOOM, isNarrowCanvas, NARROW_CANVAS_PX } from './Canvas';
import { EditorLayout } from './EditorPage';
import { autoLayout } from './layout';
import { explainConnection } from './ports';
import { createEditorStore, EditorProvider, type EditorStore } from './store';
import { smallGraph } from './test-support/graphs';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

vi.mock('../backtest/BacktestButton', () => ({ BacktestButton: () => null }));
vi.mock('../versions/VersionHistory', () => ({ VersionHistory: () => null }));

type FlowStore = ReturnType<typeof useStoreApi>;

/** Hands the test xyflow's store, to put it in the middle of a connection gesture. */
function GrabFlowStore({ into }: { readonly into: { api: FlowStore | null } }) {
  into.api = useStoreApi();
  return null;
}

function mount(graph: Graph = smallGraph()) {
  const store: EditorStore = createEditorStore({
    strategyId: 's1',
    initialGraph: graph,
    savedVersion: { id: 'v1', number: 1, contentHash: 'h' },
    compileDelayMs: 0,
  });
  const flow: { api: FlowStore | null } = { api: null };
  render(
    <QueryClientProvider client={new QueryClient()}>
      <EditorProvider strategyId="s1" initialGraph={graph} savedVersion={null} store={store}>
        <ReactFlowProvider>
          <EditorLayout readOnly={false} />
          <GrabFlowStore into={flow} />
        </ReactFlowProvider>
      </EditorProvider>
    </QueryClientProvider>,
  );
  return { store, flow: () => flow.api as FlowStore };
}

/** Puts xyflow in the state it is in while a wire from `from` hovers `to` and isValidConnection said no. */
function hoverWire(api: FlowStore, from: [string, string], to: [string, string]) {
  const fromNode = api.getState().nodeLookup.get(from[0]);
  const toNode = api.getState().nodeLookup.get(to[0]);
  const handle = (nodeId: string, id: string, type: 'source' | 'target') => ({
    nodeId,
    id,
    type,
    position: type === 'source' ? 'right' : 'left',
    x: 0,
    y: 0,
    width: 8,
    height: 8,
  });
  act(() =>
    api.setState({
      connection: {
        inProgress: true,
        isValid: false,
        from: { x: 0, y: 0 },
        fromHandle: handle(from[0], from[1], 'source'),
        fromPosition: 'right',
        fromNode,
        to: { x: 50, y: 50 },
        toHandle: handle(to[0], to[1], 'target'),
        toPosition: 'left',
        toNode,
        pointer: { x: 50, y: 50 },
      },
    } as never),
  );
}

describe('Canvas: refused connections', () => {
  it('shows why while a wire hovers an incompatible handle, before any drop', async () => {
    const { store, flow } = mount();
    await screen.findByTestId('node-ema');
    const expected = explainConnection(store.getState().graph, catalog, {
      source: 'long',
      sourceHandle: 'signal',
      target: 'ema',
      targetHandle: 'source',
    });
    expect(expected).toBeTruthy();
    expect(screen.queryByTestId('connection-refusal')).toBeNull();
    hoverWire(flow(), ['long', 'signal'], ['ema', 'source']);
    expect(screen.getByTestId('connection-refusal').textContent).toBe(expected);
    expect(screen.getByTestId('connection-tip').textContent).toBe(expected);
  });

  it('clears the live reason when the wire leaves the handle', async () => {
    const { flow } = mount();
    await screen.findByTestId('node-ema');
    hoverWire(flow(), ['long', 'signal'], ['ema', 'source']);
    expect(screen.getByTestId('connection-refusal')).toBeTruthy();
    act(() => flow().getState().cancelConnection());
    expect(screen.queryByTestId('connection-refusal')).toBeNull();
  });
});

describe('Canvas: narrow screens and the first fit', () => {
  it('counts only a measured canvas under the threshold as narrow', () => {
    expect(isNarrowCanvas(0)).toBe(false);
    expect(isNarrowCanvas(390)).toBe(true);
    expect(isNarrowCanvas(NARROW_CANVAS_PX)).toBe(false);
  });

  it('hides the minimap and folds the port legend on a phone-width canvas', async () => {
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(390);
    mount();
    await screen.findByTestId('node-ema');
    expect(screen.getByTestId('canvas').dataset.narrow).toBe('true');
    expect(document.querySelector('.react-flow__minimap')).toBeNull();
    expect(screen.getByTestId('port-legend').textContent).not.toContain('true/false series');
    fireEvent.click(screen.getByTestId('port-legend-toggle'));
    expect(screen.getByTestId('port-legend').textContent).toContain('true/false series');
  });

  it('keeps the minimap and the open legend on a laptop-width canvas', async () => {
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
    mount();
    await screen.findByTestId('node-ema');
    expect(document.querySelector('.react-flow__minimap')).not.toBeNull();
    expect(screen.queryByTestId('port-legend-toggle')).toBeNull();
  });

  it('asks the first fit not to zoom out below a readable level', async () => {
    const { flow } = mount();
    await screen.findByTestId('node-ema');
    expect(FIRST_FIT_MIN_ZOOM).toBeGreaterThanOrEqual(0.5);
    expect(flow().getState().fitViewOptions?.minZoom).toBe(FIRST_FIT_MIN_ZOOM);
  });
});

describe('Canvas: gestures through the rendered editor', () => {
  it('copies the selection with Ctrl+C and pastes a shifted copy with Ctrl+V', async () => {
    const { store } = mount();
    await screen.findByTestId('node-ema');
    act(() => store.actions.select(['ema']));
    fireEvent.keyDown(window, { key: 'c', ctrlKey: true });
    fireEvent.keyDown(window, { key: 'v', ctrlKey: true });
    expect(await screen.findByTestId('node-ema_2')).toBeTruthy();
    const original = store.getState().graph.nodes.find((n) => n.id === 'ema');
    const copy = store.getState().graph.nodes.find((n) => n.id === 'ema_2');
    expect(copy?.params).toEqual(original?.params);
    expect(copy?.position).toEqual({
      x: (original?.position.x ?? 0) + 40,
      y: (original?.position.y ?? 0) + 40,
    });
    expect(store.getState().selection).toEqual(['ema_2']);
  });

  it('duplicates two selected nodes with Ctrl+D, keeping the wire between them', async () => {
    const { store } = mount();
    await screen.findByTestId('node-ema');
    act(() => store.actions.select(['ema', 'cross']));
    fireEvent.keyDown(window, { key: 'd', ctrlKey: true });
    expect(await screen.findByTestId('node-cross_2')).toBeTruthy();
    expect(store.getState().graph.edges).toContainEqual(
      expect.objectContaining({ source: 'ema_2', sourcePort: 'value', target: 'cross_2', targetPort: 'b' }),
    );
  });

  it('adds a node to the selection on shift-click', async () => {
    const { store } = mount();
    fireEvent.click(await screen.findByTestId('node-ema'));
    await waitFor(() => expect(store.getState().selection).toEqual(['ema']));
    fireEvent.keyDown(document, { key: 'Shift', shiftKey: true });
    fireEvent.click(screen.getByTestId('node-cross'), { shiftKey: true });
    fireEvent.keyUp(document, { key: 'Shift' });
    await waitFor(() => expect([...store.getState().selection].sort()).toEqual(['cross', 'ema']));
  });

  it('lays the graph out with the Layout button as one undo step', async () => {
    const start = smallGraph();
    // Stack every node on one spot, so a layout has to move them apart.
    const piled: Graph = { ...start, nodes: start.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) };
    const { store } = mount(piled);
    await screen.findByTestId('node-ema');
    fireEvent.click(screen.getByTestId('auto-layout'));
    const laidOut = store.getState().graph.nodes.map((n) => n.position);
    expect(new Set(laidOut.map((p) => `${p.x},${p.y}`)).size).toBe(piled.nodes.length);
    // The source sits left of what it feeds (dagre's left-to-right ranks).
    const x = (id: string) => store.getState().graph.nodes.find((n) => n.id === id)?.position.x ?? Number.NaN;
    expect(x('candles')).toBeLessThan(x('ema'));
    expect(x('ema')).toBeLessThan(x('cross'));
    expect(store.getState().graph.nodes.map((n) => n.position)).toEqual(
      autoLayout(piled, new Map()).nodes.map((n) => n.position),
    );
    act(() => store.actions.undo());
    expect(store.getState().graph.nodes.every((n) => n.position.x === 0 && n.position.y === 0)).toBe(true);
  });
});
