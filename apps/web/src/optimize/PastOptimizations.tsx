// The editor's way back to earlier optimizations: a toolbar button beside Optimize that counts the
// strategy's optimizations (and says how many are running) and opens their list. The list is asked
// again every few seconds while any of them is queued or running, so statuses and progress stay live.
import { useEffect, useRef, useState } from 'react';
import { formatServerError } from '../api';
import { isTerminal, type ListOptimizations, OPTIMIZATION_LIST_LIMIT, useOptimizationList } from './api';
import { OptimizationList } from './OptimizationList';

export interface PastOptimizationsProps {
  readonly strategyId: string;
  /** Where the list comes from; tests pass their own. */
  readonly list?: ListOptimizations;
  /** How often a list with a running optimization is asked again. */
  readonly pollMs?: number;
}

export function PastOptimizations({ strategyId, list, pollMs }: PastOptimizationsProps) {
  const query = useOptimizationList(strategyId, { list, pollMs });
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLElement>(null);
  const items = query.data ?? [];
  const running = items.filter((o) => !isTerminal(o.status)).length;

  // Escape or a click elsewhere closes the list, as menus do.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !toggleRef.current?.contains(target)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <>
      <button
        ref={toggleRef}
        type="button"
        className="op-past-toggle"
        data-testid="optimizations-open"
        data-running={running}
        aria-expanded={open}
        aria-controls="op-past-menu"
        title="This strategy's optimizations: open one to see its results"
        onClick={() => setOpen((o) => !o)}
      >
        Optimizations
        {items.length > 0 && (
          <span className="op-past-count" data-testid="optimizations-count">
            {running > 0 ? `${running} running` : items.length}
          </span>
        )}
      </button>
      {open && (
        <section
          ref={menuRef}
          id="op-past-menu"
          className="bt-popover op-past-menu"
          aria-label="Optimizations of this strategy"
          data-testid="optimizations-menu"
        >
          <header className="op-past-head">
            <h3>Optimizations of this strategy</h3>
            <button
              type="button"
              className="cf-button cf-button--quiet"
              aria-label="Close"
              data-testid="optimizations-close"
              onClick={() => setOpen(false)}
            >
              ✕
            </button>
          </header>
          {query.isPending && <p className="bt-hint">Loading…</p>}
          {query.isError && (
            <p className="bt-field-error" role="alert">
              Could not list the optimizations: {formatServerError(query.error)}
            </p>
          )}
          {query.isSuccess && items.length === 0 && (
            <p className="bt-hint" data-testid="optimizations-empty">
              None yet. Optimize searches parameter values and keeps every result here.
            </p>
          )}
          {items.length > 0 && <OptimizationList items={items} />}
          {items.length >= OPTIMIZATION_LIST_LIMIT && (
            <p className="bt-hint">The {OPTIMIZATION_LIST_LIMIT} most recent are shown.</p>
          )}
        </section>
      )}
    </>
  );
}
