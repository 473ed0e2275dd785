// The backtest's advanced panel: dataset, date range, cash, fees, slippage, fill rule, market, leverage
// and strategy parameter overrides, each field with its error under it.
import type { StrategyParam } from '@candleflow/strategy-dsl';
import type { ReactNode } from 'react';
import {
  type BacktestForm,
  type DatasetChoice,
  type FormErrors,
  type FormField,
  type SlippageKind,
  utcDateText,
} from './settings-form';

export interface SettingsPanelProps {
  readonly form: BacktestForm;
  readonly errors: FormErrors;
  readonly datasets: readonly DatasetChoice[];
  readonly params: readonly StrategyParam[];
  readonly onChange: (form: BacktestForm) => void;
  /** False hides the date range (an optimization always uses the whole dataset). */
  readonly showRange?: boolean;
}

const SLIPPAGE_UNIT: Record<SlippageKind, string> = {
  none: '',
  proportional: '% of price',
  fixed: 'price units',
  sqrt_impact: 'coefficient',
};

function Field(props: {
  readonly name: FormField;
  readonly label: string;
  readonly error: string | undefined;
  readonly hint?: string;
  readonly children: ReactNode;
}) {
  return (
    <div className="bt-field" data-testid={`backtest-field-${props.name}`}>
      <label className="bt-field-label" htmlFor={fieldId(props.name)}>
        {props.label}
      </label>
      {props.children}
      {props.hint && !props.error && <span className="bt-hint">{props.hint}</span>}
      {props.error && (
        <span className="bt-field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** The control's id, which its label points at. */
function fieldId(name: FormField): string {
  return `bt-${name.replace('.', '-')}`;
}

export function SettingsPanel({
  form,
  errors,
  datasets,
  params,
  onChange,
  showRange = true,
}: SettingsPanelProps) {
  const set = <K extends keyof BacktestForm>(key: K, value: BacktestForm[K]) =>
    onChange({ ...form, [key]: value });
  const dataset = datasets.find((d) => d.id === form.datasetId);
  const range = dataset ? { min: utcDateText(dataset.firstTime), max: utcDateText(dataset.lastTime) } : {};
  const invalid = (name: FormField) => (errors[name] ? { 'aria-invalid': true } : {});

  return (
    <div className="bt-panel" data-testid="backtest-advanced-panel">
      <Field name="datasetId" label="Dataset" error={errors.datasetId}>
        <select
          id={fieldId('datasetId')}
          value={form.datasetId}
          onChange={(e) => set('datasetId', e.target.value)}
          {...invalid('datasetId')}
        >
          {datasets.length === 0 && <option value="">A demo dataset will be generated</option>}
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} — {d.symbol} {d.timeframe}, {d.bars.toLocaleString('en-US')} bars
            </option>
          ))}
        </select>
      </Field>
      {showRange && (
        <div className="bt-row">
          <Field
            name="from"
            label="From (UTC)"
            error={errors.from}
            hint={range.min && `data starts ${range.min}`}
          >
            <input
              id={fieldId('from')}
              type="date"
              value={form.from}
              {...range}
              onChange={(e) => set('from', e.target.value)}
              {...invalid('from')}
            />
          </Field>
          <Field
            name="to"
            label="To (UTC, inclusive)"
            error={errors.to}
            hint={range.max && `data ends ${range.max}`}
          >
            <input
              id={fieldId('to')}
              type="date"
              value={form.to}
              {...range}
              onChange={(e) => set('to', e.target.value)}
              {...invalid('to')}
            />
          </Field>
        </div>
      )}
      <div className="bt-row">
        <Field name="initialCash" label="Starting cash" error={errors.initialCash}>
          <input
            id={fieldId('initialCash')}
            inputMode="decimal"
            value={form.initialCash}
            onChange={(e) => set('initialCash', e.target.value)}
            {...invalid('initialCash')}
          />
        </Field>
        <Field name="market" label="Market" error={errors.market}>
          <select
            id={fieldId('market')}
            value={form.market}
            onChange={(e) => set('market', e.target.value as BacktestForm['market'])}
          >
            <option value="perp">Perpetual futures (long and short, funding)</option>
            <option value="spot">Spot (long only)</option>
          </select>
        </Field>
        <Field
          name="leverage"
          label="Leverage (×)"
          error={errors.leverage}
          hint={form.market === 'spot' ? 'spot is always 1×' : undefined}
        >
          <input
            id={fieldId('leverage')}
            inputMode="decimal"
            value={form.market === 'spot' ? '1' : form.leverage}
            disabled={form.market === 'spot'}
            onChange={(e) => set('leverage', e.target.value)}
            {...invalid('leverage')}
          />
        </Field>
      </div>
      <div className="bt-row">
        <Field name="makerFeePct" label="Maker fee (%)" error={errors.makerFeePct}>
          <input
            id={fieldId('makerFeePct')}
            inputMode="decimal"
            value={form.makerFeePct}
            onChange={(e) => set('makerFeePct', e.target.value)}
            {...invalid('makerFeePct')}
          />
        </Field>
        <Field name="takerFeePct" label="Taker fee (%)" error={errors.takerFeePct}>
          <input
            id={fieldId('takerFeePct')}
            inputMode="decimal"
            value={form.takerFeePct}
            onChange={(e) => set('takerFeePct', e.target.value)}
            {...invalid('takerFeePct')}
          />
        </Field>
      </div>
      <div className="bt-row">
        <Field name="slippageKind" label="Slippage" error={errors.slippageKind}>
          <select
            id={fieldId('slippageKind')}
            value={form.slippageKind}
            onChange={(e) => set('slippageKind', e.target.value as SlippageKind)}
          >
            <option value="proportional">Proportional to price</option>
            <option value="fixed">Fixed amount</option>
            <option value="sqrt_impact">Market impact (√volume)</option>
            <option value="none">None (unrealistic)</option>
          </select>
        </Field>
        {form.slippageKind !== 'none' && (
          <Field
            name="slippageValue"
            label={`Slippage (${SLIPPAGE_UNIT[form.slippageKind]})`}
            error={errors.slippageValue}
          >
            <input
              id={fieldId('slippageValue')}
              inputMode="decimal"
              value={form.slippageValue}
              onChange={(e) => set('slippageValue', e.target.value)}
              {...invalid('slippageValue')}
            />
          </Field>
        )}
        <Field name="fill" label="Market orders fill at" error={errors.fill}>
          <select
            id={fieldId('fill')}
            value={form.fill}
            onChange={(e) => set('fill', e.target.value as BacktestForm['fill'])}
          >
            <option value="next_open">Next bar's open (no look-ahead)</option>
            <option value="close">Signal bar's close (optimistic)</option>
          </select>
        </Field>
      </div>
      {params.length > 0 && (
        <fieldset className="bt-params">
          <legend>Strategy parameters (blank = default)</legend>
          {params.map((p) => {
            const name = `param.${p.name}` as const;
            const value = form.params[p.name] ?? '';
            const setParam = (v: string) => set('params', { ...form.params, [p.name]: v });
            const bounds = [
              p.min !== undefined ? `min ${p.min}` : '',
              p.max !== undefined ? `max ${p.max}` : '',
            ]
              .filter(Boolean)
              .join(', ');
            return (
              <Field
                key={p.name}
                name={name}
                label={p.name}
                error={errors[name]}
                hint={[p.description, bounds].filter(Boolean).join(' · ')}
              >
                {p.type === 'boolean' || p.options ? (
                  <select
                    id={fieldId(name)}
                    value={value}
                    onChange={(e) => setParam(e.target.value)}
                    {...invalid(name)}
                  >
                    <option value="">default ({String(p.default)})</option>
                    {(p.options ?? ['true', 'false']).map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={fieldId(name)}
                    inputMode={p.type === 'string' ? 'text' : 'decimal'}
                    placeholder={String(p.default)}
                    value={value}
                    onChange={(e) => setParam(e.target.value)}
                    {...invalid(name)}
                  />
                )}
              </Field>
            );
          })}
        </fieldset>
      )}
    </div>
  );
}
