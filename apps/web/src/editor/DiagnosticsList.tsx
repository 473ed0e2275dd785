// The error list under the canvas: every diagnostic with severity, code, message and hint; clicking an
// entry that names a node selects it and pans the canvas to it. With no problems it is one line tall.
import { useMemo } from 'react';
import { sortDiagnostics } from './diagnostics';
import { useEditorActions, useEditorSelector } from './store';

export function DiagnosticsList() {
  const diagnostics = useEditorSelector((s) => s.diagnostics);
  const { focusNode } = useEditorActions();
  const sorted = useMemo(() => sortDiagnostics(diagnostics), [diagnostics]);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  return (
    <section
      className="cf-diagnostics"
      aria-label="Problems"
      data-testid="diagnostics"
      data-empty={sorted.length === 0}
    >
      {sorted.length === 0 ? (
        <h3>
          Problems{' '}
          <span className="cf-muted" data-testid="diagnostics-empty">
            · none, the strategy compiles.
          </span>
        </h3>
      ) : (
        <h3>
          Problems{' '}
          <span className="cf-muted">
            {errors} error{errors === 1 ? '' : 's'}, {sorted.length - errors} warning
            {sorted.length - errors === 1 ? '' : 's'}
          </span>
        </h3>
      )}
      {sorted.length > 0 && (
        <ol>
          {sorted.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the same diagnostic may repeat; the list is rebuilt per compile.
            <li key={`${d.code}-${d.nodeId ?? ''}-${d.port ?? ''}-${i}`}>
              <button
                type="button"
                className={`cf-diagnostic ${d.severity}`}
                data-testid={`diagnostic-${i}`}
                data-code={d.code}
                disabled={d.nodeId === undefined}
                onClick={() => d.nodeId !== undefined && focusNode(d.nodeId)}
              >
                <span className="cf-diag-severity">{d.severity === 'error' ? '✖' : '⚠'}</span>
                <code>{d.code}</code>
                {d.nodeId !== undefined && (
                  <span className="cf-diag-where">
                    {d.nodeId}
                    {d.port ? `.${d.port}` : ''}
                  </span>
                )}
                <span className="cf-diag-message">{d.message}</span>
                {d.hint && <span className="cf-diag-hint">{d.hint}</span>}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
