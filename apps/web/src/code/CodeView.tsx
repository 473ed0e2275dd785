// The code view: the strategy as editable DSL text beside (or instead of) the canvas, with colouring,
// syntax and compile errors at line and column, and valid edits flowing back into the graph.
import { catalog as defaultCatalog } from '@candleflow/nodes';
import type { NodeCatalog } from '@candleflow/strategy-dsl';
import { useEffect, useRef, useState } from 'react';
import { useEditorActions, useEditorSelector, useEditorStore } from '../editor/store';
import type { TextProblem } from './analyze';
import { type CodeStatus, CodeSync } from './code-sync';
import './code.css';

export interface CodeViewProps {
  /** Viewers see the text but cannot change it. */
  readonly readOnly?: boolean;
  readonly catalog?: NodeCatalog;
  /** Pause after the last keystroke before the text is parsed and compiled, ms. */
  readonly delayMs?: number;
}

const STATUS_TEXT: Record<CodeStatus['kind'], string> = {
  pending: 'Checking…',
  unchanged: 'In sync with the canvas',
  apply: 'Applied to the canvas',
  syntax: 'Syntax errors — the canvas keeps its last valid graph',
  blocked: 'This edit adds compile errors — fix them to update the canvas',
};

function problemLabel(p: TextProblem): string {
  return `${p.line}:${p.column} ${p.severity} ${p.code}: ${p.message}`;
}

export function CodeView({ readOnly = false, catalog = defaultCatalog, delayMs = 150 }: CodeViewProps) {
  const store = useEditorStore();
  const actions = useEditorActions();
  const graph = useEditorSelector((s) => s.graph);
  const host = useRef<HTMLDivElement>(null);
  const sync = useRef<CodeSync | null>(null);
  const [status, setStatus] = useState<CodeStatus>({ kind: 'unchanged', problems: [], canvasChanged: false });
  const [formatFailed, setFormatFailed] = useState(false);

  // The editor is created once per mount; later prop changes are sent to it, never by rebuilding it,
  // so typing never loses the cursor or the undo history.
  // biome-ignore lint/correctness/useExhaustiveDependencies: readOnly and delayMs are applied by the effects below
  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    const instance = new CodeSync({
      parent,
      catalog,
      readOnly,
      delayMs,
      getGraph: () => store.getState().graph,
      apply: (next) => actions.replaceGraph(next, 'code'),
      onStatus: setStatus,
    });
    sync.current = instance;
    return () => {
      instance.destroy();
      sync.current = null;
    };
  }, [store, actions, catalog]);

  useEffect(() => {
    sync.current?.graphChanged(graph);
  }, [graph]);

  useEffect(() => {
    sync.current?.setReadOnly(readOnly);
  }, [readOnly]);

  const errors = status.problems.filter((p) => p.severity === 'error').length;
  const warnings = status.problems.length - errors;

  return (
    <section className="cf-code" aria-label="Code view">
      <div className="cf-code-toolbar">
        <span
          className={`cf-code-status cf-code-status-${status.kind}`}
          data-testid="code-status"
          role="status"
        >
          {STATUS_TEXT[status.kind]}
          {status.problems.length > 0 &&
            ` · ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
        </span>
        <button
          type="button"
          data-testid="code-format"
          disabled={readOnly}
          title="Rewrite the text in canonical form (comments are not kept)"
          onClick={() => setFormatFailed(!(sync.current?.format() ?? true))}
        >
          Format
        </button>
      </div>
      {formatFailed && status.kind === 'syntax' && (
        <p className="cf-code-notice" role="alert">
          Cannot format: fix the syntax errors first.
        </p>
      )}
      {status.canvasChanged && (
        <p className="cf-code-notice" role="alert">
          The canvas changed while this text has unapplied edits.{' '}
          <button type="button" data-testid="code-reload" onClick={() => sync.current?.reloadFromCanvas()}>
            Discard text edits and show the canvas
          </button>
        </p>
      )}
      <div className="cf-code-editor" data-testid="code-editor" ref={host} />
      {status.problems.length > 0 && (
        <ul className="cf-code-problems" aria-label="Problems in the text">
          {status.problems.map((p, i) => (
            <li key={`${p.from}-${p.to}-${p.code}-${p.message}`} className={`cf-code-problem-${p.severity}`}>
              <button type="button" data-testid={`code-problem-${i}`} onClick={() => sync.current?.reveal(p)}>
                {problemLabel(p)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
