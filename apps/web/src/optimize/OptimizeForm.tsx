// The optimize form: search method and budget, one row per strategy parameter (range or fixed value),
// the strategy's constraints, objective and its constraints, walk-forward, Monte Carlo, and the dataset
// with the backtest settings. Each field shows the message for its request path, local or the server's.
import { OBJECTIVE_METRICS, SEARCH_METHODS, type SearchMethod } from '@candleflow/optimize';
import type { StrategyParam } from '@candleflow/strategy-dsl';
import type { ReactNode } from 'react';
import type { DatasetChoice, FormErrors } from '../backtest/settings-form';
import { SettingsPanel } from '../backtest/SettingsPanel';
import {
  errorAt,
  METHOD_LABELS,
  OBJECTIVE_LABELS,
  type ObjectiveChoice,
  type OptimizeErrors,
  type OptimizeForm,
  type ParamRow,
  type WalkForwardMode,
} from './form';

export interface OptimizeFormProps {
  readonly form: OptimizeForm;
  readonly params: readonly StrategyParam[];
  readonly constraints: readonly string[];
  readonly datasets: readonly DatasetChoice[];
  /** By request path, the form's own and the server's. */
  readonly errors: OptimizeErrors;
  readonly backtestErrors: FormErrors;
  readonly onChange: (form: OptimizeForm) => void;
}

const id = (path: string) => `op-${path.replace(/\./g, '-')}`;

function Field(props: {
  readonly path: string;
  readonly label: string;
  readonly errors: OptimizeErrors;
  readonly hint?: string;
  /** Only issues at exactly this path (its parts have fields of their own). */
  readonly exact?: boolean;
  readonly children: ReactNode;
}) {
  const error = props.exact ? props.errors[props.path] : errorAt(props.errors, props.path);
  return (
    <div className="op-field" data-testid={`op-field-${props.path}`}>
      <label htmlFor={id(props.path)}>{props.label}</label>
      {props.children}
      {props.hint && !error && <span className="bt-hint">{props.hint}</span>}
      {error && (
        <span className="bt-field-error" role="alert" data-testid={`op-error-${props.path}`}>
          {error}
        </span>
      )}
    </div>
  );
}

function ParamRowEditor(props: {
  readonly param: StrategyParam;
  readonly row: ParamRow;
  readonly errors: OptimizeErrors;
  readonly onChange: (row: ParamRow) => void;
}) {
  const { param, row, errors } = props;
  const path = `ranges.${param.name}`;
  const set = (patch: Partial<ParamRow>) => props.onChange({ ...row, ...patch });
  const categorical = param.type === 'boolean' || param.type === 'string';
  const error = errorAt(errors, path);
  const invalid = (key: string) => (errors[`${path}.${key}`] ? { 'aria-invalid': true as const } : {});
  const declared = [
    param.min !== undefined ? `${param.min}` : '',
    param.max !== undefined ? `${param.max}` : '',
  ].join('…');

  return (
    <div className="op-param" data-testid={`op-param-${param.name}`} data-mode={row.mode}>
      <div className="op-param-name">
        <strong>{param.name}</strong>
        <span className="bt-hint">
          {param.type}
          {declared !== '…' ? ` · declared ${declared}` : ''}
          {param.description ? ` · ${param.description}` : ''}
        </span>
      </div>
      <label className="op-fixed-toggle">
        <input
          type="checkbox"
          checked={row.mode === 'fixed'}
          data-testid={`op-fixed-${param.name}`}
          onChange={(e) => set({ mode: e.target.checked ? 'fixed' : 'search' })}
        />
        fixed
      </label>
      <div className="op-param-inputs">
        {row.mode === 'fixed' ? (
          categorical ? (
            <select
              aria-label={`${param.name} value`}
              id={id(`${path}.fixed`)}
              value={row.value}
              onChange={(e) => set({ value: e.target.value })}
              {...invalid('fixed')}
            >
              {(param.type === 'boolean' ? ['true', 'false'] : (param.options ?? [])).map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          ) : (
            <input
              aria-label={`${param.name} value`}
              id={id(`${path}.fixed`)}
              data-testid={`op-value-${param.name}`}
              inputMode="decimal"
              value={row.value}
              onChange={(e) => set({ value: e.target.value })}
              {...invalid('fixed')}
            />
          )
        ) : categorical ? (
          <span className="op-options">
            {(param.type === 'boolean' ? ['true', 'false'] : (param.options ?? [])).map((o) => (
              <label key={o}>
                <input
                  type="checkbox"
                  checked={row.options.includes(o)}
                  onChange={(e) =>
                    set({
                      options: e.target.checked ? [...row.options, o] : row.options.filter((v) => v !== o),
                    })
                  }
                />
                {o}
              </label>
            ))}
          </span>
        ) : (
          (['min', 'max', 'step'] as const).map((key) => (
            <label key={key} className="op-mini">
              <span>{key}</span>
              <input
                aria-label={`${param.name} ${key}`}
                placeholder={key === 'step' ? 'continuous' : key}
                id={id(`${path}.${key}`)}
                data-testid={`op-${key}-${param.name}`}
                inputMode="decimal"
                value={row[key]}
                onChange={(e) => set({ [key]: e.target.value })}
                {...invalid(key)}
              />
            </label>
          ))
        )}
      </div>
      {error && (
        <span className="bt-field-error op-param-error" role="alert" data-testid={`op-error-${path}`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function OptimizeFormView(props: OptimizeFormProps) {
  const { form, errors } = props;
  const set = <K extends keyof OptimizeForm>(key: K, value: OptimizeForm[K]) =>
    props.onChange({ ...form, [key]: value });
  const dataset = props.datasets.find((d) => d.id === form.backtest.datasetId);
  const backtestErrorCount = Object.keys(props.backtestErrors).length;

  return (
    <div className="op-form" data-testid="optimize-form">
      <section className="op-group" aria-labelledby="op-search">
        <h3 id="op-search">Search</h3>
        <div className="bt-row">
          <Field path="method" label="Method" errors={errors}>
            <select
              id={id('method')}
              data-testid="op-method"
              value={form.method}
              onChange={(e) => set('method', e.target.value as SearchMethod)}
            >
              {SEARCH_METHODS.map((m) => (
                <option key={m} value={m}>
                  {METHOD_LABELS[m]}
                </option>
              ))}
            </select>
          </Field>
          {form.method !== 'grid' && (
            <Field path="trials" label="Trial budget" errors={errors} hint="backtests to run">
              <input
                id={id('trials')}
                data-testid="op-trials"
                inputMode="numeric"
                value={form.trials}
                onChange={(e) => set('trials', e.target.value)}
              />
            </Field>
          )}
        </div>
      </section>

      <section className="op-group" aria-labelledby="op-params">
        <h3 id="op-params">Parameters</h3>
        {props.params.length === 0 ? (
          <p className="bt-hint">
            This strategy names no parameters, so there is nothing to search. Add parameters in the strategy
            panel and bind node settings to them.
          </p>
        ) : (
          <div className="op-params">
            {props.params.map((p) => (
              <ParamRowEditor
                key={p.name}
                param={p}
                row={form.params[p.name]!}
                errors={errors}
                onChange={(row) => set('params', { ...form.params, [p.name]: row })}
              />
            ))}
          </div>
        )}
        {props.constraints.length > 0 && (
          <p className="op-constraints" data-testid="op-constraints">
            Combinations breaking the strategy's constraints are skipped:{' '}
            {props.constraints.map((c) => (
              <code key={c}>{c}</code>
            ))}
          </p>
        )}
      </section>

      <section className="op-group" aria-labelledby="op-objective">
        <h3 id="op-objective">Objective</h3>
        <div className="bt-row">
          <Field path="objective.metric" label="Best means the highest" errors={errors}>
            <select
              id={id('objective.metric')}
              data-testid="op-objective"
              value={form.objective}
              onChange={(e) => set('objective', e.target.value as ObjectiveChoice)}
            >
              {(Object.keys(OBJECTIVE_LABELS) as ObjectiveChoice[]).map((o) => (
                <option key={o} value={o}>
                  {OBJECTIVE_LABELS[o]}
                </option>
              ))}
            </select>
          </Field>
          <Field
            path="objective.minTrades"
            label="Minimum trades"
            errors={errors}
            hint="fewer: never the best"
          >
            <input
              id={id('objective.minTrades')}
              data-testid="op-min-trades"
              inputMode="numeric"
              placeholder="none"
              value={form.minTrades}
              onChange={(e) => set('minTrades', e.target.value)}
            />
          </Field>
          <Field
            path="objective.maxDrawdownPct"
            label="Maximum drawdown (%)"
            errors={errors}
            hint="deeper: never the best"
          >
            <input
              id={id('objective.maxDrawdownPct')}
              data-testid="op-max-drawdown"
              inputMode="decimal"
              placeholder="none"
              value={form.maxDrawdownPct}
              onChange={(e) => set('maxDrawdownPct', e.target.value)}
            />
          </Field>
        </div>
        {form.objective === 'weighted' && (
          <Field path="objective.weights" label="Weights (score = Σ weight × metric)" errors={errors}>
            <div className="op-weights" id={id('objective.weights')}>
              {OBJECTIVE_METRICS.map((m) => (
                <label key={m}>
                  {OBJECTIVE_LABELS[m]}
                  <input
                    inputMode="decimal"
                    data-testid={`op-weight-${m}`}
                    value={form.weights[m]}
                    onChange={(e) => set('weights', { ...form.weights, [m]: e.target.value })}
                  />
                </label>
              ))}
            </div>
          </Field>
        )}
      </section>

      <section className="op-group" aria-labelledby="op-honesty">
        <h3 id="op-honesty">Honesty checks</h3>
        <div className="bt-row">
          <Field
            path="walkForward"
            exact
            label="Walk-forward"
            errors={errors}
            hint="optimize on one window, test on the next"
          >
            <select
              id={id('walkForward')}
              data-testid="op-walk-forward"
              value={form.walkForward}
              onChange={(e) => set('walkForward', e.target.value as WalkForwardMode)}
            >
              <option value="off">Off</option>
              <option value="rolling">Rolling windows</option>
              <option value="anchored">Anchored (growing) windows</option>
            </select>
          </Field>
          {form.walkForward !== 'off' && (
            <>
              <Field path="walkForward.folds" label="Folds" errors={errors}>
                <input
                  id={id('walkForward.folds')}
                  data-testid="op-folds"
                  inputMode="numeric"
                  value={form.folds}
                  onChange={(e) => set('folds', e.target.value)}
                />
              </Field>
              <Field path="walkForward.oosRatio" label="Out-of-sample (% of in-sample)" errors={errors}>
                <input
                  id={id('walkForward.oosRatio')}
                  data-testid="op-oos"
                  inputMode="decimal"
                  value={form.oosPct}
                  onChange={(e) => set('oosPct', e.target.value)}
                />
              </Field>
            </>
          )}
        </div>
        <div className="bt-row">
          <Field
            path="monteCarlo"
            label="Monte Carlo"
            errors={errors}
            hint="reshuffle and resample the trades"
          >
            <select
              id={id('monteCarlo')}
              data-testid="op-monte-carlo"
              value={form.monteCarlo ? 'on' : 'off'}
              onChange={(e) => set('monteCarlo', e.target.value === 'on')}
            >
              <option value="on">On</option>
              <option value="off">Off</option>
            </select>
          </Field>
          {form.monteCarlo && (
            <>
              <Field path="monteCarlo.runs" label="Runs" errors={errors}>
                <input
                  id={id('monteCarlo.runs')}
                  inputMode="numeric"
                  value={form.monteCarloRuns}
                  onChange={(e) => set('monteCarloRuns', e.target.value)}
                />
              </Field>
              <Field path="monteCarlo.ruinDrawdownPct" label="Ruin at drawdown (%)" errors={errors}>
                <input
                  id={id('monteCarlo.ruinDrawdownPct')}
                  inputMode="decimal"
                  value={form.ruinDrawdownPct}
                  onChange={(e) => set('ruinDrawdownPct', e.target.value)}
                />
              </Field>
            </>
          )}
        </div>
      </section>

      <details
        className="op-group op-data"
        open={backtestErrorCount > 0 || errorAt(errors, 'datasetId') !== undefined}
      >
        <summary>
          <h3>Data and costs</h3>{' '}
          <span className="bt-hint" data-testid="op-dataset">
            {dataset ? `${dataset.name}, ${dataset.bars.toLocaleString('en-US')} bars` : 'no dataset chosen'}
            {backtestErrorCount > 0 ? ` · ${backtestErrorCount} to fix` : ''}
          </span>
        </summary>
        {errorAt(errors, 'datasetId') && (
          <span className="bt-field-error" role="alert">
            {errorAt(errors, 'datasetId')}
          </span>
        )}
        {errorAt(errors, 'settings') && (
          <span className="bt-field-error" role="alert">
            {errorAt(errors, 'settings')}
          </span>
        )}
        <SettingsPanel
          form={form.backtest}
          errors={props.backtestErrors}
          datasets={props.datasets}
          params={[]}
          showRange={false}
          onChange={(backtest) => set('backtest', backtest)}
        />
      </details>
    </div>
  );
}
