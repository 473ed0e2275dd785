// The node palette: grouped by category, searchable, one-line descriptions; entries are dragged onto the
// canvas (HTML5 drag and drop) or added at the viewport centre with Enter or a click.
import { allNodeDefinitions } from '@candleflow/nodes';
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { forwardRef, useMemo, useState } from 'react';
import { DRAG_MIME } from './Canvas';
import { paletteEntries, paletteGroups } from './palette';

export interface PaletteProps {
  readonly onAdd: (definition: AnyNodeDefinition) => void;
  readonly disabled?: boolean;
}

export const Palette = forwardRef<HTMLInputElement, PaletteProps>(function Palette(
  { onAdd, disabled },
  searchRef,
) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const groups = useMemo(() => paletteGroups(allNodeDefinitions, query), [query]);
  const entries = useMemo(() => paletteEntries(groups), [groups]);
  const activeType = entries[Math.min(active, entries.length - 1)]?.type;

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      setActive((i) => Math.min(i + 1, entries.length - 1));
      e.preventDefault();
    } else if (e.key === 'ArrowUp') {
      setActive((i) => Math.max(i - 1, 0));
      e.preventDefault();
    } else if (e.key === 'Enter') {
      const chosen = entries[Math.min(active, entries.length - 1)];
      if (chosen && !disabled) onAdd(chosen);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      setQuery('');
      e.currentTarget.blur();
    }
  };

  return (
    <nav className="cf-palette" aria-label="Node palette" data-testid="palette">
      <input
        ref={searchRef}
        type="search"
        className="cf-palette-search"
        placeholder="Search nodes  ( / )"
        aria-label="Search nodes"
        data-testid="palette-search"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {groups.length === 0 && <p className="cf-muted">No node matches “{query}”.</p>}
      {groups.map((g) => (
        <section key={g.key} className="cf-palette-group">
          <h3>{g.title}</h3>
          <ul>
            {g.definitions.map((d) => (
              <li key={d.type}>
                <button
                  type="button"
                  className={`cf-palette-item cat-${d.category}${d.type === activeType && query ? ' is-active' : ''}`}
                  data-testid={`palette-${d.type}`}
                  draggable={!disabled}
                  disabled={disabled}
                  title={`${d.title}: ${d.description} (drag onto the canvas, or click to add)`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_MIME, `${d.type}@${d.version}`);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onClick={() => onAdd(d)}
                >
                  <span className="cf-palette-title">{d.title}</span>
                  <span className="cf-palette-desc">{d.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
});
