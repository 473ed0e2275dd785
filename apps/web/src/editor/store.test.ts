import { compile, type Diagnostic, type Graph } from '@candleflow/strategy-dsl';
import { catalog } from '@candleflow/nodes';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CompileFn, createEditorStore, type EditorStoreOptions } from './store';
import { smallGraph } from './test-support/graphs';

const V1 = { id: 'v1', number: 1, contentHash: 'h1' };

function makeStore(overrides: Partial<EditorStoreOptions> = {}) {
  let t = 0;
  const clock = { advance: (ms: number) => (t += ms) };
  const compileFn = vi.fn<CompileFn>(() => []);
  const store = createEditorStore({
    strategyId: 's1',
    initialGraph: smallGraph(),
    savedVersion: V1,
    compile: compileFn,
    now: () => t,
    ...overrides,
  });
  return { store, clock, compileFn, a: store.actions };
}

const period = (g: Graph) => g.nodes.find((n) => n.id === 'ema')?.params.period;

describe('editor store history', () => {
  it('undoes and redoes a param edit', () => {
    const { store, a } = makeStore();
    a.updateNodeParams('ema', { period: 30 });
    expect(period(store.getState().graph)).toBe(30);
    a.undo();
    expect(period(store.getState().graph)).toBe(20);
    expect(store.getState().canRedo).toBe(true);
    a.redo();
    expect(period(store.getState().graph)).toBe(30);
    expect(store.getState().canRedo).toBe(false);
  });

  it('coalesces typing in one node into one undo step, but not after a pause', () => {
    const { store, a, clock } = makeStore();
    a.updateNodeParams('ema', { period: 2 });
    clock.advance(100);
    a.updateNodeParams('ema', { period: 25 });
    clock.advance(2_000);
    a.updateNodeParams('ema', { period: 40 });
    a.undo();
    expect(period(store.getState().graph)).toBe(25);
    a.undo();
    expect(period(store.getState().graph)).toBe(20);
    expect(store.getState().canUndo).toBe(false);
  });

  it('does not coalesce edits of different nodes', () => {
    const { store, a } = makeStore();
    a.updateNodeParams('ema', { period: 30 });
    a.updateNodeParams('candles', { symbol: 'ETH/USDT', timeframe: '1h' });
    a.undo();
    expect(period(store.getState().graph)).toBe(30);
  });

  it('clears redo after a new edit', () => {
    const { store, a } = makeStore();
    a.updateNodeParams('ema', { period: 30 });
    a.undo();
    a.removeElements(['order']);
    expect(store.getState().canRedo).toBe(false);
    a.redo();
    expect(store.getState().graph.nodes.some((n) => n.id === 'order')).toBe(false);
  });

  it('keeps at most historyLimit undo steps', () => {
    const { store, a } = makeStore({ historyLimit: 3 });
    for (const x of [1, 2, 3, 4, 5]) a.moveNodes(new Map([['ema', { x, y: 0 }]]));
    let undos = 0;
    while (store.getState().canUndo) {
      a.undo();
      undos++;
    }
    expect(undos).toBe(3);
    expect(store.getState().graph.nodes.find((n) => n.id === 'ema')?.position.x).toBe(2);
  });

  it('replaceGraph is one undo step', () => {
    const { store, a } = makeStore();
    const other: Graph = { ...smallGraph(), name: 'other', nodes: [], edges: [] };
    a.replaceGraph(other, 'code');
    expect(store.getState().graph.name).toBe('other');
    a.undo();
    expect(store.getState().graph.nodes).toHaveLength(5);
  });
});

describe('editor store dirty tracking', () => {
  it('is clean when loaded from a saved version and dirty after any edit, positions included', () => {
    const { store, a } = makeStore();
    expect(store.getState().dirty).toBe(false);
    a.moveNodes(new Map([['ema', { x: 5, y: 5 }]]));
    expect(store.getState().dirty).toBe(true);
  });

  it('is clean again after undoing back to the saved graph', () => {
    const { store, a } = makeStore();
    a.updateNodeParams('ema', { period: 30 });
    a.undo();
    expect(store.getState().dirty).toBe(false);
  });

  it('treats a never-saved strategy as dirty', () => {
    const { store } = makeStore({ savedVersion: null });
    expect(store.getState().dirty).toBe(true);
  });

  it('markSaved makes the working graph the baseline', () => {
    const { store, a } = makeStore({ savedVersion: null });
    a.markSaved({ id: 'v2', number: 2, contentHash: 'h2' });
    expect(store.getState()).toMatchObject({ dirty: false, savedVersion: { number: 2 } });
  });

  it('stays dirty when the graph changed while the save was in flight', () => {
    const { store, a } = makeStore();
    a.updateNodeParams('ema', { period: 30 });
    const sent = store.getState().graph;
    a.removeElements(['order']);
    a.markSaved({ id: 'v2', number: 2, contentHash: 'h2' }, sent);
    expect(store.getState().dirty).toBe(true);
    a.undo();
    expect(store.getState().dirty).toBe(false);
  });

  it('replacing the graph with an equal copy is not a change', () => {
    const { store, a } = makeStore();
    a.replaceGraph(structuredClone(store.getState().graph), 'code');
    expect(store.getState().dirty).toBe(false);
  });
});

describe('editor store clipboard', () => {
  it('pastes copies with new readable unique ids and edges between the copies', () => {
    const { store, a } = makeStore();
    a.copy(['candles', 'ema']);
    const ids = a.paste();
    const g = store.getState().graph;
    expect(ids).toEqual(['candles_2', 'ema_2']);
    expect(new Set(g.nodes.map((n) => n.id)).size).toBe(g.nodes.length);
    expect(g.edges).toContainEqual({
      source: 'candles_2',
      sourcePort: 'close',
      target: 'ema_2',
      targetPort: 'source',
    });
    // The edge to `cross` leaves the copied set, so it is not copied.
    expect(g.edges.filter((e) => e.source === 'candles_2')).toHaveLength(1);
    expect(store.getState().selection).toEqual(ids);
  });

  it('pasting twice gives distinct ids and shifted positions', () => {
    const { store, a } = makeStore();
    a.copy(['ema']);
    const first = a.paste();
    const second = a.paste();
    expect(first).toEqual(['ema_2']);
    expect(second).toEqual(['ema_3']);
    const g = store.getState().graph;
    const x = (id: string) => g.nodes.find((n) => n.id === id)?.position.x;
    expect([x('ema'), x('ema_2'), x('ema_3')]).toEqual([200, 240, 280]);
  });

  it('paste without a copy does nothing', () => {
    const { store, a } = makeStore();
    expect(a.paste()).toEqual([]);
    expect(store.getState().canUndo).toBe(false);
  });

  it('duplicate copies the params as an independent object', () => {
    const { store, a } = makeStore();
    const [copy] = a.duplicate(['ema']);
    a.updateNodeParams(copy as string, { period: 99 });
    expect(period(store.getState().graph)).toBe(20);
  });
});

describe('editor store edits', () => {
  it('adds a node with a readable id and selects it', () => {
    const { store, a } = makeStore();
    const id = a.addNode({ type: 'ema', version: 1, params: { period: 5 }, position: { x: 1, y: 2 } });
    expect(id).toBe('ema_2');
    expect(store.getState().selection).toEqual(['ema_2']);
  });

  it('removes nodes with their edges and drops them from the selection', () => {
    const { store, a } = makeStore();
    a.select(['ema', 'cross']);
    a.removeElements(['ema']);
    const g = store.getState().graph;
    expect(g.edges.some((e) => e.source === 'ema' || e.target === 'ema')).toBe(false);
    expect(store.getState().selection).toEqual(['cross']);
  });

  it('removes edges by id', () => {
    const { store, a } = makeStore();
    a.removeElements([], ['ema.value->cross.b']);
    expect(store.getState().graph.edges).toHaveLength(4);
  });

  it('connecting to a used single input replaces its edge', () => {
    const { store, a } = makeStore();
    a.connect({ source: 'candles', sourcePort: 'open', target: 'cross', targetPort: 'b' }, false);
    const into = store.getState().graph.edges.filter((e) => e.target === 'cross' && e.targetPort === 'b');
    expect(into).toEqual([{ source: 'candles', sourcePort: 'open', target: 'cross', targetPort: 'b' }]);
  });

  it('select with the same ids does not notify', () => {
    const { store, a } = makeStore();
    a.select(['ema']);
    const listener = vi.fn();
    store.subscribe(listener);
    a.select(['ema']);
    expect(listener).not.toHaveBeenCalled();
  });

  it('focusNode selects the node and issues a new focus request each time', () => {
    const { store, a } = makeStore();
    a.focusNode('ema');
    const first = store.getState().focusRequest;
    a.focusNode('ema');
    expect(store.getState().selection).toEqual(['ema']);
    expect(store.getState().focusRequest?.seq).toBe((first?.seq ?? 0) + 1);
  });

  it('edits strategy params and constraints', () => {
    const { store, a } = makeStore();
    a.setStrategyParams([{ name: 'slow', type: 'int', default: 30 }], ['fast < slow']);
    expect(store.getState().graph).toMatchObject({
      params: [{ name: 'slow' }],
      constraints: ['fast < slow'],
    });
  });

  it('unsubscribed listeners are not called', () => {
    const { store, a } = makeStore();
    const listener = vi.fn();
    const off = store.subscribe(listener);
    off();
    a.select(['ema']);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('editor store compile', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('compiles once after a burst of param edits, after the debounce', () => {
    const { a, compileFn } = makeStore({ compileDelayMs: 150 });
    compileFn.mockClear();
    a.updateNodeParams('ema', { period: 3 });
    a.updateNodeParams('ema', { period: 30 });
    vi.advanceTimersByTime(149);
    expect(compileFn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(compileFn).toHaveBeenCalledTimes(1);
  });

  it('does not compile when only positions changed', () => {
    const { a, compileFn } = makeStore();
    compileFn.mockClear();
    a.moveNodes(new Map([['ema', { x: 9, y: 9 }]]));
    vi.runAllTimers();
    expect(compileFn).not.toHaveBeenCalled();
  });

  it('publishes the real compiler diagnostics for a missing input', () => {
    const { store, a } = makeStore({ compile: (g) => compile(g, catalog).diagnostics });
    expect(store.getState().diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    a.removeElements([], ['candles.close->ema.source']);
    a.flushCompile();
    const missing = store.getState().diagnostics.find((d) => d.code === 'MISSING_INPUT');
    expect(missing).toMatchObject({ nodeId: 'ema', port: 'source' });
  });

  it('shows server diagnostics until the next edit that matters', () => {
    const { store, a } = makeStore();
    const server: Diagnostic = { code: 'NO_ORDERS', severity: 'error', message: 'no orders' };
    a.setServerDiagnostics([server]);
    expect(store.getState().diagnostics).toEqual([server]);
    a.moveNodes(new Map([['ema', { x: 1, y: 1 }]]));
    expect(store.getState().diagnostics).toEqual([server]);
    a.updateNodeParams('ema', { period: 5 });
    expect(store.getState().diagnostics).toEqual([]);
  });

  it('dispose cancels the pending compile', () => {
    const { store, a, compileFn } = makeStore();
    compileFn.mockClear();
    a.updateNodeParams('ema', { period: 5 });
    store.dispose();
    vi.runAllTimers();
    expect(compileFn).not.toHaveBeenCalled();
  });
});
