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

describe('StrategyPanel risk section', () => {
  it('offers the suggested limits when the strategy has none, and applies them with one click', () => {
    const store = mount();
    expect(store.getState().graph.risk).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Use suggested risk limits' }));
    expect(store.getState().graph.risk).toEqual({
      riskPerTradePct: 2,
      maxExposurePct: 60,
      dailyLossLimitPct: 5,
      maxDrawdownPct: 25,
      dedupeSignals: true,
    });
    expect((screen.getByTestId('risk-maxExposurePct') as HTMLInputElement).value).toBe('60');
    expect(screen.queryByTestId('use-suggested-risk')).toBeNull();
  });

  it('explains every field in a hint', () => {
    mount();
    const hint = document.getElementById(
      screen.getByTestId('risk-dailyLossLimitPct').getAttribute('aria-describedby') ?? '',
    );
    expect(hint?.textContent).toMatch(/rest of the day/);
  });

  it('writes a valid value to the graph and keeps a refused one out of it with the reason', () => {
    const store = mount();
    const drawdown = screen.getByTestId('risk-maxDrawdownPct');
    fireEvent.change(drawdown, { target: { value: '30' } });
    expect(store.getState().graph.risk).toEqual({ maxDrawdownPct: 30 });
    fireEvent.change(drawdown, { target: { value: '130' } });
    expect(store.getState().graph.risk).toEqual({ maxDrawdownPct: 30 });
    expect(screen.getByTestId('risk-maxDrawdownPct-error').textContent).toMatch(/at most 100/);
    expect((drawdown as HTMLInputElement).value).toBe('130');
    fireEvent.change(drawdown, { target: { value: '' } });
    expect(store.getState().graph.risk).toBeUndefined();
    expect(screen.queryByTestId('risk-maxDrawdownPct-error')).toBeNull();
  });

  it('toggles signal de-duplication and undoes a risk edit in one step', () => {
    const store = mount();
    fireEvent.click(screen.getByTestId('risk-dedupeSignals'));
    expect(store.getState().graph.risk).toEqual({ dedupeSignals: true });
    act(() => store.actions.undo());
    expect(store.getState().graph.risk).toBeUndefined();
  });

  it('shows the limits but offers no changes when read-only', () => {
    mount(true);
    expect(screen.queryByTestId('use-suggested-risk')).toBeNull();
    expect((screen.getByTestId('risk-maxDrawdownPct') as HTMLInputElement).disabled).toBe(true);
  });
});
