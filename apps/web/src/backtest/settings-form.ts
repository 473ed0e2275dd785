// The backtest settings form as plain data: one-click defaults (realistic costs, next-open fills), the
// advanced panel's fields as typed text, and validation that turns them into backtests.submit's input or
// says, field by field, what is wrong.
import { catalog } from '@candleflow/nodes';
import { compile, type Graph, type StrategyParam } from '@candleflow/strategy-dsl';

export type SlippageKind = 'none' | 'fixed' | 'proportional' | 'sqrt_impact';
export type FillRule = 'next_open' | 'close';
export type Market = 'spot' | 'perp';

/**
 * The server's defaults (apps/server backtests/settings.ts, from the engine's DEFAULT_BACKTEST), restated
 * because the engine stays out of the browser bundle; settings-form.test.ts checks they still agree.
 */
export const SERVER_DEFAULTS = {
  initialCash: 10_000,
  market: 'perp' as Market,
  leverage: 1,
  fill: 'next_open' as FillRule,
  makerFee: 0.0002,
  takerFee: 0.0005,
  slippage: { kind: 'proportional', rate: 0.0002 } as const,
} as const;

/** What the advanced panel edits: numbers as typed (so half-typed input survives), fees in percent. */
export interface BacktestForm {
  readonly datasetId: string;
  /** YYYY-MM-DD in UTC, or '' for the dataset's first / last bar. */
  readonly from: string;
  readonly to: string;
  readonly initialCash: string;
  /** Percent of notional: "0.02" is 0.02%. */
  readonly makerFeePct: string;
  readonly takerFeePct: string;
  readonly slippageKind: SlippageKind;
  /** Percent for proportional, price units for fixed, the coefficient for sqrt_impact; unused for none. */
  readonly slippageValue: string;
  readonly fill: FillRule;
  readonly market: Market;
  readonly leverage: string;
  /** Strategy parameter overrides by name; '' keeps the declared default. */
  readonly params: Readonly<Record<string, string>>;
}

export type FormField = Exclude<keyof BacktestForm, 'params'> | `param.${string}`;
export type FormErrors = Partial<Record<FormField, string>>;

/** The subset of datasets.list the form needs. */
export interface DatasetChoice {
  readonly id: string;
  readonly name: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly bars: number;
  /** Open time of the first and last bar, UTC ms. */
  readonly firstTime: number;
  readonly lastTime: number;
}

/** backtests.submit's `settings`, as the server's backtestSettingsInput accepts it. */
export interface SubmitSettings {
  readonly paramValues: Record<string, number | boolean | string>;
  readonly from?: number;
  readonly to?: number;
  readonly initialCash: number;
  readonly market: Market;
  readonly leverage: number;
  readonly fill: FillRule;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly slippage:
    | { readonly kind: 'none' }
    | { readonly kind: 'fixed'; readonly amount: number }
    | { readonly kind: 'proportional'; readonly rate: number }
    | { readonly kind: 'sqrt_impact'; readonly coefficient: number };
}

export type FormResult =
  | { readonly ok: true; readonly datasetId: string; readonly settings: SubmitSettings }
  | { readonly ok: false; readonly errors: FormErrors };

const DAY_MS = 86_400_000;

/** Percent text without float noise: 0.0002 → "0.02". */
function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(12)));
}

/**
 * The one-click form: the newest dataset (datasets.list is newest first), or one whose name says it is
 * the demo when the user has uploaded nothing else; full range; server defaults.
 */
export function defaultForm(datasets: readonly DatasetChoice[]): BacktestForm {
  return {
    datasetId: datasets[0]?.id ?? '',
    from: '',
    to: '',
    initialCash: String(SERVER_DEFAULTS.initialCash),
    makerFeePct: percentText(SERVER_DEFAULTS.makerFee),
    takerFeePct: percentText(SERVER_DEFAULTS.takerFee),
    slippageKind: SERVER_DEFAULTS.slippage.kind,
    slippageValue: percentText(SERVER_DEFAULTS.slippage.rate),
    fill: SERVER_DEFAULTS.fill,
    market: SERVER_DEFAULTS.market,
    leverage: String(SERVER_DEFAULTS.leverage),
    params: {},
  };
}

/** "2024-03-01" → its UTC midnight in ms, or null when the text is not a real date. */
export function parseUtcDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March; a date that does not round-trip does not exist.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

/** UTC ms → "YYYY-MM-DD" (for date inputs' min/max and placeholders). */
export function utcDateText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function numberIn(
  text: string,
  label: string,
  bounds: { min: number; max: number; minExclusive?: boolean; integer?: boolean },
): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `${label} is required` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${label} must be a number, got "${trimmed}"` };
  if (bounds.integer && !Number.isInteger(value)) return { error: `${label} must be a whole number` };
  const low = bounds.minExclusive ? value <= bounds.min : value < bounds.min;
  if (low || value > bounds.max) {
    const lower = bounds.minExclusive ? `more than ${bounds.min}` : `at least ${bounds.min}`;
    return { error: `${label} must be ${lower} and at most ${bounds.max}` };
  }
  return { value };
}

function paramValue(
  param: StrategyParam,
  text: string,
): { value: number | boolean | string } | { error: string } {
  const label = `${param.name}`;
  if (param.type === 'boolean') {
    if (text === 'true' || text === 'false') return { value: text === 'true' };
    return { error: `${label} must be true or false` };
  }
  if (param.type === 'string') {
    if (param.options && !param.options.includes(text)) {
      return { error: `${label} must be one of ${param.options.join(', ')}` };
    }
    return { value: text };
  }
  return numberIn(text, label, {
    min: param.min ?? Number.NEGATIVE_INFINITY,
    max: param.max ?? Number.POSITIVE_INFINITY,
    integer: param.type === 'int',
  });
}

/**
 * Checks every field and builds the submit input. Dates are whole UTC days: `to` includes its day, so the
 * range sent is [from 00:00, the day after `to` 00:00).
 */
export function validateForm(
  form: BacktestForm,
  context: { readonly datasets: readonly DatasetChoice[]; readonly params: readonly StrategyParam[] },
): FormResult {
  const errors: FormErrors = {};
  const dataset = context.datasets.find((d) => d.id === form.datasetId);
  if (!dataset) {
    errors.datasetId =
      context.datasets.length === 0
        ? 'you have no dataset yet: upload a CSV or generate demo data on the Datasets page'
        : 'choose a dataset';
  }

  let from: number | undefined;
  let to: number | undefined;
  if (form.from.trim() !== '') {
    const ms = parseUtcDate(form.from);
    if (ms === null) errors.from = `"${form.from}" is not a date (YYYY-MM-DD)`;
    else from = ms;
  }
  if (form.to.trim() !== '') {
    const ms = parseUtcDate(form.to);
    if (ms === null) errors.to = `"${form.to}" is not a date (YYYY-MM-DD)`;
    else to = ms + DAY_MS;
  }
  if (from !== undefined && to !== undefined && from >= to)
    errors.to = 'the end date must not be before the start';
  else if (dataset && !errors.from && !errors.to) {
    const first = from ?? dataset.firstTime;
    const last = to ?? Number.POSITIVE_INFINITY;
    if (first > dataset.lastTime || last <= dataset.firstTime) {
      errors[from !== undefined ? 'from' : 'to'] =
        `${dataset.name} has bars from ${utcDateText(dataset.firstTime)} to ${utcDateText(dataset.lastTime)} only; this range selects none`;
    }
  }

  const fields = {
    initialCash: numberIn(form.initialCash, 'Starting cash', { min: 0, max: 1e12, minExclusive: true }),
    makerFeePct: numberIn(form.makerFeePct, 'Maker fee (%)', { min: 0, max: 5 }),
    takerFeePct: numberIn(form.takerFeePct, 'Taker fee (%)', { min: 0, max: 5 }),
    leverage:
      form.market === 'perp'
        ? numberIn(form.leverage, 'Leverage', { min: 1, max: 125 })
        : ({ value: 1 } as const),
  };
  for (const [key, result] of Object.entries(fields)) {
    if ('error' in result) errors[key as FormField] = result.error;
  }

  let slippage: SubmitSettings['slippage'] = { kind: 'none' };
  if (form.slippageKind !== 'none') {
    const bounds =
      form.slippageKind === 'proportional'
        ? { label: 'Slippage (%)', min: 0, max: 10 }
        : form.slippageKind === 'fixed'
          ? { label: 'Slippage (price units)', min: 0, max: 1e9 }
          : { label: 'Impact coefficient', min: 0, max: 100 };
    const result = numberIn(form.slippageValue, bounds.label, bounds);
    if ('error' in result) errors.slippageValue = result.error;
    else if (form.slippageKind === 'proportional')
      slippage = { kind: 'proportional', rate: result.value / 100 };
    else if (form.slippageKind === 'fixed') slippage = { kind: 'fixed', amount: result.value };
    else slippage = { kind: 'sqrt_impact', coefficient: result.value };
  }

  const paramValues: Record<string, number | boolean | string> = {};
  for (const param of context.params) {
    const text = form.params[param.name];
    if (text === undefined || text.trim() === '') continue;
    const result = paramValue(param, text.trim());
    if ('error' in result) errors[`param.${param.name}`] = result.error;
    else paramValues[param.name] = result.value;
  }

  if (Object.keys(errors).length > 0 || !dataset) return { ok: false, errors };
  const value = (r: { value: number } | { error: string }) => (r as { value: number }).value;
  return {
    ok: true,
    datasetId: dataset.id,
    settings: {
      paramValues,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      initialCash: value(fields.initialCash),
      market: form.market,
      leverage: value(fields.leverage),
      fill: form.fill,
      makerFee: value(fields.makerFeePct) / 100,
      takerFee: value(fields.takerFeePct) / 100,
      slippage,
    },
  };
}

/**
 * Parameter overrides the compiler refuses (out of range, breaking a constraint such as `fast < slow`),
 * found in the browser before the server is asked; keyed like the form's fields.
 */
export function paramValueErrors(graph: Graph, paramValues: SubmitSettings['paramValues']): FormErrors {
  const names = Object.keys(paramValues);
  if (names.length === 0) return {};
  // Only errors the overrides cause count: a graph broken for other reasons is the editor's to report.
  const key = (d: { code: string; nodeId?: string; message: string }) =>
    `${d.code}|${d.nodeId ?? ''}|${d.message}`;
  const before = new Set(compile(graph, catalog).diagnostics.map(key));
  const errors: FormErrors = {};
  for (const d of compile(graph, catalog, { paramValues }).diagnostics) {
    if (d.severity !== 'error' || before.has(key(d))) continue;
    const name =
      (d.param && names.includes(d.param) ? d.param : undefined) ??
      names.find((n) => new RegExp(`\\b${n}\\b`).test(d.message)) ??
      names[0]!;
    errors[`param.${name}`] ??= d.message;
  }
  return errors;
}

/** Settings that make results optimistic, in the words the engine's realism warnings use. */
export function unrealisticChoices(settings: SubmitSettings): string[] {
  const notes: string[] = [];
  if (settings.makerFee === 0 && settings.takerFee === 0) notes.push('zero fees overstate returns');
  if (settings.slippage.kind === 'none') notes.push('no slippage fills at prices order books rarely give');
  if (settings.fill === 'close')
    notes.push("filling at the signal bar's close trades on a price you could not act on");
  return notes;
}
