// @vitest-environment happy-dom
import { type Graph, printGraph } from '@candleflow/strategy-dsl';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleGraph } from '../code/test-support/examples';
import { createEditorStore, EditorProvider } from '../editor/store';
import type { VersionDetail, VersionsApi } from './VersionHistory';
import { VersionHistory } from './VersionHistory';

const v1Graph = exampleGraph('ema-cross');
const v2Graph: Graph = {
  ...v1Graph,
  nodes: v1Graph.nodes.map((n) => (n.id === 'fast_ema' ? { ...n, params: { ...n.params, period: 9 } } : n)),
};

function detail(number: number, graph: unknown): VersionDetail {
  return {
    id: `ver${number}`,
    number,
    contentHash: `hash${number}`.padEnd(64, '0'),
    createdAt: new Date(Date.UTC(2025, 0, number)).toISOString(),
    graph,
    dslText: `# saved text of v${number}\n`,
  };
}

function fakeApi(versions: VersionDetail[]): VersionsApi & { gets: number[] } {
  const gets: number[] = [];
  return {
    gets,
    list: async () => [...versions].sort((a, b) => b.number - a.number),
    get: async (_strategyId, number) => {
      gets.push(number);
      const found = versions.find((v) => v.number === number);
      if (!found) throw new Error(`no version ${number}`);
      return found;
    },
  };
}

function mount(api: VersionsApi, options: { readOnly?: boolean; working?: Graph } = {}) {
  const store = createEditorStore({
    strategyId: 's1',
    initialGraph: options.working ?? v2Graph,
    savedVersion: { id: 'ver2', number: 2, contentHash: 'hash2' },
    savedGraph: v2Graph,
    compileDelayMs: 0,
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <EditorProvider strategyId="s1" initialGraph={v2Graph} savedVersion={null} store={store}>
        <VersionHistory api={api} readOnly={options.readOnly ?? false} />
      </EditorProvider>
    </QueryClientProvider>,
  );
  return store;
}

afterEach(cleanup);

describe('VersionHistory', () => {
  it('lists the versions, newest first', async () => {
    mount(fakeApi([detail(1, v1Graph), detail(2, v2Graph)]));

    const buttons = await screen.findAllByTestId(/^version-\d+$/);

    expect(buttons.map((b) => b.dataset.testid)).toEqual(['version-2', 'version-1']);
  });

  it('diffs a version against the working graph as DSL text', async () => {
    mount(fakeApi([detail(1, v1Graph), detail(2, v2Graph)]));

    fireEvent.click(await screen.findByTestId('version-1'));
    const diff = await screen.findByTestId('version-diff');

    const removed = [...diff.querySelectorAll('[data-op="removed"]')].map((e) => e.textContent ?? '');
    const added = [...diff.querySelectorAll('[data-op="added"]')].map((e) => e.textContent ?? '');
    const changed = (text: string) => text.split('\n').find((l) => l.startsWith('fast_ema ='))!;
    expect(removed).toHaveLength(1);
    expect(added).toHaveLength(1);
    expect(removed[0]).toContain(changed(printGraph(v1Graph)));
    expect(added[0]).toContain(changed(printGraph(v2Graph)));
  });

  it('says when a version reads the same as the working graph', async () => {
    mount(fakeApi([detail(2, v2Graph)]));

    fireEvent.click(await screen.findByTestId('version-2'));

    expect((await screen.findByTestId('version-diff')).textContent).toContain('reads the same');
  });

  it('shows a version as DSL text', async () => {
    mount(fakeApi([detail(1, v1Graph)]));

    fireEvent.click(await screen.findByTestId('version-1'));
    fireEvent.click(screen.getByTestId('version-mode-text'));

    expect((await screen.findByTestId('version-text')).textContent).toBe(printGraph(v1Graph));
  });

  it('restores a version as the working graph, unsaved and undoable', async () => {
    const store = mount(fakeApi([detail(1, v1Graph), detail(2, v2Graph)]));

    fireEvent.click(await screen.findByTestId('version-restore-1'));

    await waitFor(() => expect(store.getState().graph).toEqual(v1Graph));
    expect(store.getState().dirty).toBe(true);
    expect(store.getState().savedVersion?.number).toBe(2);
    expect(screen.getByRole('status').textContent).toContain('not saved until you save');
    act(() => store.actions.undo());
    expect(store.getState().graph).toBe(v2Graph);
  });

  it('refuses to restore a version whose graph is malformed, and says why', async () => {
    const store = mount(fakeApi([detail(1, { nodes: 'nope' })]));

    fireEvent.click(await screen.findByTestId('version-restore-1'));

    expect((await screen.findByRole('alert')).textContent).toContain('cannot be loaded');
    expect(store.getState().graph).toBe(v2Graph);
  });

  it('reports a version that cannot be fetched', async () => {
    const api = fakeApi([detail(1, v1Graph)]);
    mount({ ...api, get: async () => Promise.reject(new Error('socket closed')) });

    fireEvent.click(await screen.findByTestId('version-restore-1'));

    expect((await screen.findByRole('alert')).textContent).toContain('socket closed');
  });

  it('reports a list that cannot be fetched', async () => {
    mount({
      list: () => Promise.reject(new Error('offline')),
      get: () => Promise.reject(new Error('unused')),
    });

    expect((await screen.findByRole('alert')).textContent).toContain('Could not list versions');
  });

  it('offers no restore to viewers', async () => {
    mount(fakeApi([detail(1, v1Graph)]), { readOnly: true });

    await screen.findByTestId('version-1');

    expect(screen.queryByTestId('version-restore-1')).toBeNull();
  });
});
