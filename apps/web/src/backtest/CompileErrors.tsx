// Why a strategy cannot run yet: its compile errors, each naming its node (a click focuses it on the
// canvas) and port, with the compiler's hint. Shared by the Backtest and Optimize buttons.
import type { Diagnostic } from '@candleflow/strategy-dsl';
import { useEditorActions } from '../editor/store';

export function CompileErrors(props: {
  readonly diagnostics: readonly Diagnostic[];
  /** What the errors block, e.g. "backtested". */
  readonly blocked: string;
  readonly testId: string;
}) {
  const actions = useEditorActions();
  if (props.diagnostics.length === 0) return null;
  return (
    <div className="bt-errors" data-testid={props.testId} role="alert">
      <p>The strategy does not compile, so it cannot be {props.blocked}. Fix these first:</p>
      <ul>
        {props.diagnostics.map((d) => (
          <li key={`${d.code}-${d.nodeId ?? ''}-${d.port ?? ''}-${d.message}`}>
            {d.nodeId ? (
              <button type="button" className="bt-link" onClick={() => actions.focusNode(d.nodeId!)}>
                {d.nodeId}
                {d.port ? `.${d.port}` : ''}
              </button>
            ) : null}{' '}
            {d.message}
            {d.hint ? ` — ${d.hint}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
