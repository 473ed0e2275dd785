// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createEditorStore, EditorProvider } from './store';
import { StrategyPanel } from './StrategyPanel';
import { smallGraph } from './test-support/graphs';

afterEach(cleanup);

function mount(readOnly = false) {
  const graph = smallGraph();
  const store = createEditorStore({
    strategyId: 's',
    initialGraph: graph,
    savedVersion: null,
    compile: () => [],
  });
  render(
    <EditorProvider strategyId="s" initialGraph={graph} savedVersion={null} store={store}>
      <StrategyPanel readOnly={readOnly} />
    </EditorProvider>,
  );
  return store;
}

describe('StrategyPanel', () => {
  it('adds a parameter and a constraint between the first two parameters', () => {
    const store = mount();
    fireEvent.click(screen.getByTestId('add-strategy-param'));
    fireEvent.click(screen.getByTestId('add-constraint'));
    expect(store.getState().graph.params.map((p) => p.name)).toEqual(['fast', 'param']);
    expect(store.getState().graph.constraints).toEqual(['fast < param']);
  });

  it('edits a name and default, and shows the problem with an out-of-range default', () => {
    const store = mount();
    fireEvent.change(screen.getByTestId('strategy-param-0-default'), { target: { value: '99' } });
    expect(store.getState().graph.params[0]?.default).toBe(99);
    expect(screen.getByRole('alert').textContent).toMatch(/above the maximum 50/);
    fireEvent.change(screen.getByTestId('strategy-param-0-name'), { target: { value: 'quick' } });
    expect(store.getState().graph.params[0]?.name).toBe('quick');
  });

  it('flags a constraint naming an undeclared parameter', () => {
    const store = mount();
    act(() => store.actions.setStrategyParams(store.getState().graph.params, ['fast < slow']));
    expect(screen.getByRole('alert').textContent).toMatch(/“slow” is not a declared/);
  });

  it('shows which nodes use a parameter', () => {
    const store = mount();
    act(() => store.actions.updateNodeParams('ema', { period: { $param: 'fast' } }));
    expect(screen.getByText('used by ema')).toBeTruthy();
  });

  it('hides the add buttons when read-only', () => {
    mount(true);
    expect(screen.queryByTestId('add-strategy-param')).toBeNull();
  });
});
