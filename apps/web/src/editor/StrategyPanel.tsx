// The strategy-level panel: name, declared strategy parameters (type, default, range, step) and the
// constraints between them, and the risk limits. Node params bind to these by name in the inspector.
import type { StrategyParam } from '@candleflow/strategy-dsl';
import { useMemo } from 'react';
import { RiskSection } from './RiskSection';
import { useEditorActions, useEditorSelector } from './store';
import {
  constraintError,
  newStrategyParam,
  retypeStrategyParam,
  strategyParamErrors,
} from './strategy-params';

const EMPTY_PARAMS: readonly StrategyParam[] = [];
const EMPTY_CONSTRAINTS: readonly string[] = [];

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function withOptional<K extends 'min' | 'max' | 'step'>(
  p: StrategyParam,
  key: K,
  value: number | undefined,
): StrategyParam {
  const { [key]: _old, ...rest } = p;
  return (value === undefined ? rest : { ...rest, [key]: value }) as StrategyParam;
}

export function StrategyPanel({ readOnly }: { readonly readOnly: boolean }) {
  const params = useEditorSelector((s) => s.graph.params ?? EMPTY_PARAMS);
  const constraints = useEditorSelector((s) => s.graph.constraints ?? EMPTY_CONSTRAINTS);
  const usage = useEditorSelector((s) => s.graph.nodes);
  const { setStrategyParams } = useEditorActions();
  const errors = useMemo(() => strategyParamErrors(params), [params]);
  const usedBy = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const n of usage) {
      for (const v of Object.values(n.params)) {
        if (typeof v === 'object' && v !== null && '$param' in v)
          map.set(v.$param, [...(map.get(v.$param) ?? []), n.id]);
      }
    }
    return map;
  }, [usage]);

  const setParam = (i: number, next: StrategyParam) =>
    setStrategyParams(
      params.map((p, j) => (j === i ? next : p)),
      constraints,
    );

  return (
    <div className="cf-strategy-panel" data-testid="strategy-panel">
      <h3>Strategy parameters</h3>
      <p className="cf-muted">
        Named values the optimizer and `--param` can change; bind node fields to them with $.
      </p>
      {params.map((p, i) => {
        const e = errors[i] ?? {};
        const numeric = p.type === 'int' || p.type === 'number';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a declaration is identified by its place; its name is being edited.
          <fieldset key={i} className="cf-sp" disabled={readOnly} data-testid={`strategy-param-${i}`}>
            <div className="cf-sp-row">
              <input
                aria-label="Parameter name"
                data-testid={`strategy-param-${i}-name`}
                value={p.name}
                aria-invalid={e.name !== undefined}
                onChange={(ev) => setParam(i, { ...p, name: ev.target.value })}
              />
              <select
                aria-label="Type"
                value={p.type}
                onChange={(ev) =>
                  setParam(i, retypeStrategyParam(p, ev.target.value as StrategyParam['type']))
                }
              >
                <option value="int">int</option>
                <option value="number">number</option>
                <option value="boolean">boolean</option>
                <option value="string">string</option>
              </select>
              <button
                type="button"
                title="Remove this parameter"
                onClick={() =>
                  setStrategyParams(
                    params.filter((_, j) => j !== i),
                    constraints,
                  )
                }
              >
                ✕
              </button>
            </div>
            <div className="cf-sp-row">
              {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is the label's child (checkbox or input). */}
              <label>
                default{' '}
                {p.type === 'boolean' ? (
                  <input
                    type="checkbox"
                    checked={p.default === true}
                    onChange={(ev) => setParam(i, { ...p, default: ev.target.checked })}
                  />
                ) : (
                  <input
                    type={numeric ? 'number' : 'text'}
                    data-testid={`strategy-param-${i}-default`}
                    value={String(p.default)}
                    step={p.step ?? 'any'}
                    aria-invalid={e.default !== undefined}
                    onChange={(ev) =>
                      setParam(i, {
                        ...p,
                        default: numeric ? (numberOrUndefined(ev.target.value) ?? 0) : ev.target.value,
                      })
                    }
                  />
                )}
              </label>
              {numeric &&
                (['min', 'max', 'step'] as const).map((key) => (
                  <label key={key}>
                    {key}{' '}
                    <input
                      type="number"
                      value={p[key] ?? ''}
                      aria-invalid={e[key] !== undefined}
                      onChange={(ev) => setParam(i, withOptional(p, key, numberOrUndefined(ev.target.value)))}
                    />
                  </label>
                ))}
            </div>
            {Object.values(e).map((m) => (
              <small key={m} className="cf-field-error" role="alert">
                {m}
              </small>
            ))}
            <small className="cf-muted">
              {usedBy.get(p.name)?.length
                ? `used by ${usedBy.get(p.name)?.join(', ')}`
                : 'not used by any node yet'}
            </small>
          </fieldset>
        );
      })}
      {!readOnly && (
        <button
          type="button"
          data-testid="add-strategy-param"
          onClick={() => setStrategyParams([...params, newStrategyParam(params)], constraints)}
        >
          + Parameter
        </button>
      )}
      <h3>Constraints</h3>
      {constraints.map((c, i) => {
        const error = constraintError(c, params);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a constraint is identified by its place; its text is being edited.
          <div key={i} className="cf-sp-row">
            <input
              aria-label="Constraint"
              data-testid={`constraint-${i}`}
              value={c}
              disabled={readOnly}
              aria-invalid={error !== null}
              onChange={(ev) =>
                setStrategyParams(
                  params,
                  constraints.map((x, j) => (j === i ? ev.target.value : x)),
                )
              }
            />
            {!readOnly && (
              <button
                type="button"
                title="Remove this constraint"
                onClick={() =>
                  setStrategyParams(
                    params,
                    constraints.filter((_, j) => j !== i),
                  )
                }
              >
                ✕
              </button>
            )}
            {error && (
              <small className="cf-field-error" role="alert">
                {error}
              </small>
            )}
          </div>
        );
      })}
      {!readOnly && (
        <button
          type="button"
          data-testid="add-constraint"
          onClick={() => {
            const [a, b] = params;
            setStrategyParams(params, [...constraints, a && b ? `${a.name} < ${b.name}` : 'fast < slow']);
          }}
        >
          + Constraint
        </button>
      )}
      <RiskSection readOnly={readOnly} />
    </div>
  );
}
