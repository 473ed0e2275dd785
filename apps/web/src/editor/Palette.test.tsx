// @vitest-environment happy-dom
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DRAG_MIME } from './Canvas';
import { Palette } from './Palette';

afterEach(cleanup);

describe('Palette', () => {
  it('adds the first match with Enter after searching, and moves with the arrow keys', () => {
    const onAdd = vi.fn<(d: AnyNodeDefinition) => void>();
    render(<Palette onAdd={onAdd} />);
    const search = screen.getByTestId('palette-search');
    fireEvent.change(search, { target: { value: 'cross' } });
    expect(screen.queryByTestId('palette-ema')).toBeNull();
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onAdd.mock.calls[0]?.[0].type).toBe('crosses_above');
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onAdd.mock.calls[1]?.[0].type).toBe('crosses_below');
    fireEvent.keyDown(search, { key: 'ArrowUp' });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onAdd.mock.calls[2]?.[0].type).toBe('crosses_above');
  });

  it('says when nothing matches, and Escape clears the search', () => {
    render(<Palette onAdd={() => {}} />);
    const search = screen.getByTestId('palette-search') as HTMLInputElement;
    fireEvent.change(search, { target: { value: 'qqqq' } });
    expect(screen.getByText(/No node matches/)).toBeTruthy();
    fireEvent.keyDown(search, { key: 'Escape' });
    expect(search.value).toBe('');
  });

  it('puts the node type and version on the drag', () => {
    render(<Palette onAdd={() => {}} />);
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), effectAllowed: '' };
    fireEvent.dragStart(screen.getByTestId('palette-rsi'), { dataTransfer });
    expect(data.get(DRAG_MIME)).toBe('rsi@1');
  });
});
