// @vitest-environment happy-dom
import type { Diagnostic } from '@candleflow/strategy-dsl';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticsList } from './DiagnosticsList';
import { createEditorStore, EditorProvider } from './store';
import { smallGraph } from './test-support/graphs';

afterEach(cleanup);

function mount(diagnostics: readonly Diagnostic[]) {
  const graph = smallGraph();
  const store = createEditorStore({
    strategyId: 's',
    initialGraph: graph,
    savedVersion: null,
    compile: () => diagnostics,
  });
  render(
    <EditorProvider strategyId="s" initialGraph={graph} savedVersion={null} store={store}>
      <DiagnosticsList />
    </EditorProvider>,
  );
}

describe('DiagnosticsList', () => {
  it('collapses to a single heading line when the strategy compiles', () => {
    mount([]);
    const panel = screen.getByTestId('diagnostics');
    expect(panel.dataset.empty).toBe('true');
    expect(panel.children).toHaveLength(1);
    expect(panel.querySelector('ol')).toBeNull();
    expect(screen.getByTestId('diagnostics-empty').textContent).toMatch(/compiles/);
  });

  it('lists problems with their counts when there are some', () => {
    mount([
      { code: 'MISSING_INPUT', severity: 'error', message: 'b is not connected', nodeId: 'cross', port: 'b' },
      { code: 'UNUSED_NODE', severity: 'warning', message: 'ema feeds nothing' },
    ]);
    const panel = screen.getByTestId('diagnostics');
    expect(panel.dataset.empty).toBe('false');
    expect(panel.querySelector('h3')?.textContent).toContain('1 error, 1 warning');
    expect(panel.querySelectorAll('li')).toHaveLength(2);
  });
});
