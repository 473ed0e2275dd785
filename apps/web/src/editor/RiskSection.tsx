// The "Risk" section of the strategy panel: the graph's risk limits, one field per setting with a short
// hint, validated with RiskSettingsSchema as you type; a strategy without limits is offered the suggested ones.
import type { RiskSettings } from '@candleflow/strategy-dsl';
import { useMemo, useState } from 'react';
import {
  parseRiskInput,
  RISK_FIELDS,
  type RiskKey,
  riskErrors,
  SUGGESTED_RISK_LIMITS,
  withRiskField,
} from './risk-settings';
import { useEditorActions, useEditorSelector } from './store';

export function RiskSection({ readOnly }: { readonly readOnly: boolean }) {
  const risk = useEditorSelector((s) => s.graph.risk);
  const { setRisk } = useEditorActions();
  // Text being typed that the schema refuses (or that is still incomplete) stays here, not in the graph,
  // so the working graph always holds valid limits.
  const [drafts, setDrafts] = useState<Partial<Record<RiskKey, string>>>({});
  const draftRisk = useMemo(() => {
    let next: Record<string, unknown> = { ...(risk ?? {}) };
    for (const [key, text] of Object.entries(drafts)) {
      const value = parseRiskInput(text ?? '');
      const { [key]: _old, ...rest } = next;
      next = value === undefined ? rest : { ...rest, [key]: value };
    }
    return next;
  }, [risk, drafts]);
  const errors = useMemo(() => riskErrors(draftRisk), [draftRisk]);
  const hasLimits = risk !== undefined && Object.keys(risk).length > 0;

  const typeNumber = (key: RiskKey, text: string) => {
    const value = parseRiskInput(text);
    const candidate = withRiskField(risk, key, value);
    const fieldOk = riskErrors(candidate ?? {})[key] === undefined;
    setDrafts((d) => ({ ...d, [key]: text }));
    if (fieldOk) setRisk(candidate);
  };
  const dropDraft = (key: RiskKey) =>
    setDrafts((d) => {
      const { [key]: _gone, ...rest } = d;
      return rest;
    });

  return (
    <section className="cf-risk" aria-label="Risk" data-testid="risk-section">
      <h3>Risk</h3>
      <p className="cf-muted">Checked before every order; percentages are of equity. Blank means no cap.</p>
      {!hasLimits && (
        <div className="cf-risk-suggest" data-testid="risk-none">
          <span className="cf-muted">No risk limits: every signal trades at full size.</span>
          {!readOnly && (
            <button
              type="button"
              data-testid="use-suggested-risk"
              title="2% risk per trade, 60% total exposure, 5% daily loss, 25% max drawdown"
              onClick={() => {
                setDrafts({});
                setRisk({ ...SUGGESTED_RISK_LIMITS } as RiskSettings);
              }}
            >
              Use suggested risk limits
            </button>
          )}
        </div>
      )}
      <fieldset className="cf-risk-fields" disabled={readOnly}>
        {RISK_FIELDS.map((f) => {
          const id = `risk-${f.key}`;
          const error = errors[f.key];
          const stored = risk?.[f.key];
          return (
            <div key={f.key} className={`cf-field${error ? ' is-invalid' : ''}`}>
              {f.kind === 'boolean' ? (
                <label htmlFor={id}>
                  <input
                    id={id}
                    type="checkbox"
                    data-testid={id}
                    checked={stored === true}
                    disabled={readOnly}
                    onChange={(ev) => setRisk(withRiskField(risk, f.key, ev.target.checked || undefined))}
                  />{' '}
                  {f.label}
                </label>
              ) : (
                <>
                  <label htmlFor={id}>{f.label}</label>
                  <input
                    id={id}
                    type="number"
                    inputMode="decimal"
                    data-testid={id}
                    min={0}
                    step={f.kind === 'bars' ? 1 : 'any'}
                    placeholder="no cap"
                    disabled={readOnly}
                    value={drafts[f.key] ?? (typeof stored === 'number' ? String(stored) : '')}
                    aria-invalid={error !== undefined}
                    aria-describedby={`${id}-hint`}
                    onChange={(ev) => typeNumber(f.key, ev.target.value)}
                    onBlur={() => dropDraft(f.key)}
                  />
                </>
              )}
              <small className="cf-muted" id={`${id}-hint`}>
                {f.hint}
              </small>
              {error && (
                <small className="cf-field-error" role="alert" data-testid={`${id}-error`}>
                  {error}
                </small>
              )}
            </div>
          );
        })}
      </fieldset>
    </section>
  );
}
