// @vitest-environment happy-dom
import type { Graph } from '@candleflow/strategy-dsl';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyTheme } from '../app/theme';
import { EditorLayout, emptyGraph, graphFromServer } from './EditorPage';
import { createEditorStore, EditorProvider, type EditorStore } from './store';
import { smallGraph } from './test-support/graphs';
import type { SaveFn } from './use-save';

afterEach(cleanup);

// The real button queries datasets from the server; the editor only has to place it.
vi.mock('../backtest/BacktestButton', () => ({
  BacktestButton: (p: { disabled?: boolean }) => (
    <button type="button" data-testid="backtest-stub" disabled={p.disabled}>
      Backtest
    </button>
  ),
}));
vi.mock('../optimize/OptimizeButton', () => ({
  OptimizeButton: (p: { disabled?: boolean }) => (
    <button type="button" data-testid="optimize-stub" disabled={p.disabled}>
      Optimize
    </button>
  ),
}));
vi.mock('../versions/VersionHistory', () => ({
  VersionHistory: () => <div data-testid="versions-stub" />,
}));

function mount(options: { graph?: Graph; readOnly?: boolean; save?: SaveFn } = {}) {
  const graph = options.graph ?? smallGraph();
  const store: EditorStore = createEditorStore({
    strategyId: 's1',
    initialGraph: graph,
    savedVersion: { id: 'v1', number: 1, contentHash: 'h' },
    compileDelayMs: 0,
  });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <EditorProvider strategyId="s1" initialGraph={graph} savedVersion={null} store={store}>
        <ReactFlowProvider>
          <EditorLayout
            readOnly={options.readOnly ?? false}
            {...(options.save ? { save: options.save } : {})}
          />
        </ReactFlowProvider>
      </EditorProvider>
    </QueryClientProvider>,
  );
  return store;
}

describe('EditorLayout', () => {
  it('renders nodes, typed handles and the palette with stable test ids', async () => {
    mount();
    expect(await screen.findByTestId('node-ema')).toBeTruthy();
    const handle = screen.getByTestId('handle-ema-source');
    expect(handle.className).toContain('kind-number');
    expect(screen.getByTestId('handle-long-when').className).toContain('kind-boolean');
    expect(screen.getByTestId('palette-ema')).toBeTruthy();
    expect(screen.getByTestId('port-legend').textContent).toContain('true/false series');
  });

  it('follows the theme toggle while open: the canvas turns light and back', async () => {
    applyTheme('dark');
    mount();
    await screen.findByTestId('node-ema');
    const canvas = () => document.querySelector('.react-flow')!;
    expect(canvas().classList.contains('dark')).toBe(true);

    act(() => applyTheme('light'));
    await waitFor(() => expect(canvas().classList.contains('light')).toBe(true));
    act(() => applyTheme('dark'));
    await waitFor(() => expect(canvas().classList.contains('dark')).toBe(true));
  });

  it('adds a node from the palette with a readable id and marks the strategy unsaved', async () => {
    const store = mount();
    expect(screen.queryByTestId('unsaved-indicator')).toBeNull();
    fireEvent.click(screen.getByTestId('palette-ema'));
    expect(await screen.findByTestId('node-ema_2')).toBeTruthy();
    expect(screen.getByTestId('unsaved-indicator')).toBeTruthy();
    expect(document.title.startsWith('• ')).toBe(true);
    expect(store.getState().selection).toEqual(['ema_2']);
  });

  it('edits a param in the inspector, shows zod’s message for a bad value, and binds to a strategy param', async () => {
    const store = mount();
    act(() => store.actions.select(['ema']));
    const input = (await screen.findByTestId('param-period')) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '0' } });
    expect((await screen.findByTestId('param-period-error')).textContent).toMatch(/>=\s*1|at least 1|1/);
    fireEvent.change(input, { target: { value: '25' } });
    expect(store.getState().graph.nodes.find((n) => n.id === 'ema')?.params.period).toBe(25);
    expect(screen.queryByTestId('param-period-error')).toBeNull();
    fireEvent.click(screen.getByTestId('bind-period'));
    expect(store.getState().graph.nodes.find((n) => n.id === 'ema')?.params.period).toEqual({
      $param: 'fast',
    });
  });

  it('keeps unparsable number text as a draft with a message, without touching the graph', async () => {
    const store = mount();
    act(() => store.actions.select(['ema']));
    const input = (await screen.findByTestId('param-period')) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '' } });
    expect((await screen.findByTestId('param-period-error')).textContent).toMatch(/Enter a number/);
    expect(store.getState().graph.nodes.find((n) => n.id === 'ema')?.params.period).toBe(20);
  });

  it('lists compile errors and focuses the node when an entry is clicked', async () => {
    const store = mount();
    act(() => {
      store.actions.removeElements([], ['ema.value->cross.b']);
      store.actions.flushCompile();
    });
    const entry = await screen.findByTestId('diagnostic-0');
    expect(entry.textContent).toContain('MISSING_INPUT');
    fireEvent.click(entry);
    expect(store.getState().selection).toEqual(['cross']);
    await waitFor(() => expect(screen.getByTestId('node-cross').dataset.severity).toBe('error'));
    expect(screen.getByTestId('handle-cross-b').className).toContain('ring-error');
  });

  it('undoes with Ctrl+Z and deletes the selection with Delete', async () => {
    const store = mount();
    await screen.findByTestId('node-ema');
    act(() => store.actions.select(['order']));
    fireEvent.keyDown(window, { key: 'Delete' });
    expect(store.getState().graph.nodes.some((n) => n.id === 'order')).toBe(false);
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(store.getState().graph.nodes.some((n) => n.id === 'order')).toBe(true);
    act(() => store.actions.select(['ema']));
    fireEvent.keyDown(window, { key: 'd', ctrlKey: true });
    expect(store.getState().selection).toEqual(['ema_2']);
  });

  it('saves through the given save call and clears the unsaved indicator', async () => {
    const save = vi.fn<SaveFn>(async () => ({ version: { id: 'v2', number: 2, contentHash: 'h2' } }));
    const store = mount({ save });
    act(() => store.actions.updateNodeParams('ema', { period: 30 }));
    fireEvent.click(screen.getByTestId('save'));
    expect((await screen.findByTestId('save-message')).textContent).toBe('Saved as version 2.');
    expect(save).toHaveBeenCalledWith({
      strategyId: 's1',
      graph: expect.objectContaining({ name: 'small' }),
    });
    expect(screen.queryByTestId('unsaved-indicator')).toBeNull();
  });

  it('shows the server’s compile errors from a refused save in the problems list', async () => {
    const refusal = Object.assign(new Error('does not compile'), {
      data: {
        code: 'COMPILE_FAILED',
        message: 'The strategy does not compile',
        details: {
          diagnostics: [{ code: 'NO_ORDERS', severity: 'error', message: 'Server says no orders' }],
        },
      },
    });
    const store = mount({ save: async () => Promise.reject(refusal) });
    act(() => store.actions.updateNodeParams('ema', { period: 30 }));
    fireEvent.click(screen.getByTestId('save'));
    expect((await screen.findByTestId('save-message')).textContent).toContain('does not compile');
    expect(screen.getByTestId('diagnostics').textContent).toContain('Server says no orders');
    expect(store.getState().dirty).toBe(true);
  });

  it('disables editing for viewers', async () => {
    mount({ readOnly: true });
    expect((screen.getByTestId('save') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('palette-ema') as HTMLButtonElement).disabled).toBe(true);
    expect(((await screen.findByTestId('backtest-stub')) as HTMLButtonElement).disabled).toBe(true);
    expect(((await screen.findByTestId('optimize-stub')) as HTMLButtonElement).disabled).toBe(true);
  });

  it('places the backtest and optimize buttons in the toolbar and the version history and strategy panel in tabs', async () => {
    mount();
    expect(await screen.findByTestId('backtest-stub')).toBeTruthy();
    expect(await screen.findByTestId('optimize-stub')).toBeTruthy();
    fireEvent.click(screen.getByTestId('tab-versions'));
    expect(await screen.findByTestId('versions-stub')).toBeTruthy();
    fireEvent.click(screen.getByTestId('tab-strategy'));
    expect(screen.getByTestId('strategy-panel')).toBeTruthy();
  });

  it('shows the code view beside the canvas in split view', async () => {
    mount();
    fireEvent.click(screen.getByTestId('view-split'));
    await waitFor(() => expect(document.querySelector('.cm-editor')).not.toBeNull());
    expect(screen.getByTestId('canvas')).toBeTruthy();
  });
});

describe('graphFromServer', () => {
  it('fills defaults, and starts an empty graph for a strategy with no version', () => {
    expect(graphFromServer(null, 'New')).toEqual(emptyGraph('New'));
    const raw = { schemaVersion: 1, name: 'x', nodes: [{ id: 'a', type: 'ema', version: 1 }] };
    expect(graphFromServer(raw, 'x').nodes[0]).toMatchObject({ params: {}, position: { x: 0, y: 0 } });
  });
});
