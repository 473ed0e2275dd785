// @vitest-environment happy-dom
import { forEachDiagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { printGraph } from '@candleflow/strategy-dsl';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createEditorStore, EditorProvider, type EditorStore } from '../editor/store';
import { CodeView } from './CodeView';
import { exampleGraph } from './test-support/examples';

const graph = exampleGraph('ema-cross');
const text = printGraph(graph);

function mount(options: { readOnly?: boolean } = {}) {
  const store = createEditorStore({
    strategyId: 's1',
    initialGraph: graph,
    savedVersion: null,
    compileDelayMs: 0,
  });
  const utils = render(
    <EditorProvider strategyId="s1" initialGraph={graph} savedVersion={null} store={store}>
      <CodeView delayMs={5} readOnly={options.readOnly ?? false} />
    </EditorProvider>,
  );
  const dom = utils.container.querySelector('.cm-editor');
  if (!(dom instanceof HTMLElement)) throw new Error('CodeView rendered no CodeMirror editor');
  const view = EditorView.findFromDOM(dom);
  if (!view) throw new Error('no EditorView behind .cm-editor');
  return { store, view };
}

/** Replaces the whole text as if the user typed it, then lets the debounce run. */
async function type(view: EditorView, next: string) {
  await act(async () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next }, userEvent: 'input' });
    await new Promise((resolve) => setTimeout(resolve, 30));
  });
}

function lintMessages(view: EditorView): string[] {
  const messages: string[] = [];
  forEachDiagnostic(view.state, (d) => messages.push(d.message));
  return messages;
}

function paramOf(store: EditorStore, nodeId: string, param: string) {
  return store.getState().graph.nodes.find((n) => n.id === nodeId)?.params[param];
}

afterEach(cleanup);

describe('CodeView', () => {
  it('shows the strategy as DSL text', () => {
    const { view } = mount();

    expect(view.state.doc.toString()).toBe(text);
    expect(screen.getByTestId('code-editor')).toBeTruthy();
  });

  it('sends a valid edit to the graph as one undo step, keeping the user’s own formatting', async () => {
    const { store, view } = mount();
    const edited = text.replace('period: $fast', 'period: 9').replace('strategy', '# tuned\nstrategy');

    await type(view, edited);

    expect(paramOf(store, 'fast_ema', 'period')).toBe(9);
    expect(store.getState().canUndo).toBe(true);
    expect(view.state.doc.toString()).toBe(edited);
    expect(screen.getByTestId('code-status').textContent).toContain('Applied');
  });

  it('shows a syntax error as a lint diagnostic and leaves the graph alone', async () => {
    const { store, view } = mount();
    const before = store.getState().graph;

    await type(view, text.replace('period: $fast)', 'period: $fast slow)'));

    expect(store.getState().graph).toBe(before);
    expect(lintMessages(view).join('\n')).toContain("expected ',' or ')'");
    expect(screen.getByTestId('code-problem-0').textContent).toMatch(/^\d+:\d+ error SYNTAX_ERROR/);
  });

  it('follows canvas edits while the text has no unapplied edits', async () => {
    const { store, view } = mount();

    await act(async () => store.actions.updateNodeParams('fast_ema', { period: 5 }));

    expect(view.state.doc.toString()).toBe(printGraph(store.getState().graph));
    expect(view.state.doc.toString()).toContain('period: 5');
  });

  it('keeps unapplied text when the canvas changes, and offers to discard it', async () => {
    const { store, view } = mount();
    const broken = `${text}half = ema(`;
    await type(view, broken);

    await act(async () => store.actions.updateNodeParams('slow_ema', { period: 40 }));

    expect(view.state.doc.toString()).toBe(broken);
    fireEvent.click(screen.getByTestId('code-reload'));
    expect(view.state.doc.toString()).toBe(printGraph(store.getState().graph));
    expect(screen.queryByTestId('code-reload')).toBeNull();
  });

  it('keeps the text and its comments when the canvas only moves nodes', async () => {
    const { store, view } = mount();
    const commented = `# keep me\n${text}`;
    await type(view, commented);

    await act(async () => store.actions.moveNodes(new Map([['fast_ema', { x: 999, y: 999 }]])));

    expect(view.state.doc.toString()).toBe(commented);
  });

  it('restoring a graph (undo on the canvas) rewrites clean text', async () => {
    const { store, view } = mount();
    await type(view, text.replace('period: $fast', 'period: 9'));

    await act(async () => store.actions.undo());

    expect(store.getState().graph).toBe(graph);
    expect(view.state.doc.toString()).toBe(text);
  });

  it('formats the text into canonical form', async () => {
    const { store, view } = mount();
    const messy = text.replace('fast_ema = ema(', 'fast_ema   =   ema(\n    ');
    await type(view, messy);

    fireEvent.click(screen.getByTestId('code-format'));

    expect(view.state.doc.toString()).toBe(printGraph(store.getState().graph));
  });

  it('says it cannot format text with syntax errors', async () => {
    const { view } = mount();
    const broken = `${text}oops = (`;
    await type(view, broken);

    fireEvent.click(screen.getByTestId('code-format'));

    expect(view.state.doc.toString()).toBe(broken);
    expect(screen.getByRole('alert').textContent).toContain('fix the syntax errors');
  });

  it('is read-only for viewers', () => {
    const { view } = mount({ readOnly: true });

    expect(view.state.readOnly).toBe(true);
    expect((screen.getByTestId('code-format') as HTMLButtonElement).disabled).toBe(true);
  });

  it('moves the cursor to a problem when it is clicked in the list', async () => {
    const { view } = mount();
    const broken = text.replace('period: $fast)', 'period: $fast slow)');
    await type(view, broken);

    fireEvent.click(screen.getByTestId('code-problem-0'));

    const offset = broken.indexOf('slow)', broken.indexOf('fast_ema'));
    expect(view.state.selection.main.from).toBe(offset);
  });
});

describe('CodeView undo', () => {
  it('does not put canvas edits into the text’s own undo history', async () => {
    const { store, view } = mount();
    await act(async () => store.actions.updateNodeParams('fast_ema', { period: 5 }));

    const { undoDepth } = await import('@codemirror/commands');

    expect(undoDepth(view.state)).toBe(0);
  });
});
