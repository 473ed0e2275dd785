// The optimize form as plain data: one row per strategy parameter prefilled from its definition, the
// objective and its constraints, walk-forward and Monte Carlo, and the backtest settings; and the one
// conversion into optimizations.submit's input, checked by the optimizer's own request schema so the
// form and the server agree on every bound. Errors are keyed by the request's paths ("ranges.fast.min").
import {
  OBJECTIVE_METRICS,
  type ObjectiveMetric,
  OptimizeSpecSchema,
  type OptimizeSpecInput,
  type ParamValue,
  type RangeOverride,
  type SearchMethod,
} from '@candleflow/optimize';
import type { StrategyParam } from '@candleflow/strategy-dsl';
import {
  type BacktestForm,
  type DatasetChoice,
  defaultForm as defaultBacktestForm,
  type FormErrors,
  type SubmitSettings,
  validateForm,
} from '../backtest/settings-form';

/** One parameter's row: searched over a range (numbers) or a set of options, or held at one value. */
export interface ParamRow {
  readonly mode: 'search' | 'fixed';
  /** The fixed value as typed ("12", "true", "close"). */
  readonly value: string;
  /** Numeric search, as typed; a blank step keeps the declared one. */
  readonly min: string;
  readonly max: string;
  readonly step: string;
  /** Options searched for text and boolean parameters ("true"/"false" for booleans). */
  readonly options: readonly string[];
}

export type ObjectiveChoice = ObjectiveMetric | 'weighted';
export type WalkForwardMode = 'off' | 'anchored' | 'rolling';

export interface OptimizeForm {
  readonly method: SearchMethod;
  /** Trial budget of random and Bayesian search. */
  readonly trials: string;
  readonly params: Readonly<Record<string, ParamRow>>;
  readonly objective: ObjectiveChoice;
  readonly weights: Readonly<Record<ObjectiveMetric, string>>;
  /** '' for no constraint. */
  readonly minTrades: string;
  readonly maxDrawdownPct: string;
  readonly walkForward: WalkForwardMode;
  readonly folds: string;
  /** Out-of-sample length in percent of the in-sample window. */
  readonly oosPct: string;
  readonly monteCarlo: boolean;
  readonly monteCarloRuns: string;
  readonly ruinDrawdownPct: string;
  readonly backtest: BacktestForm;
}

/** Errors by request path: 'trials', 'ranges.fast.min', 'objective.weights', 'settings.initialCash'… */
export type OptimizeErrors = Readonly<Record<string, string>>;

export const OBJECTIVE_LABELS: Readonly<Record<ObjectiveChoice, string>> = {
  sharpe: 'Sharpe ratio',
  sortino: 'Sortino ratio',
  calmar: 'Calmar ratio',
  totalReturn: 'Total return',
  profitFactor: 'Profit factor',
  weighted: 'Weighted mix',
};

export const METHOD_LABELS: Readonly<Record<SearchMethod, string>> = {
  grid: 'Grid (every combination)',
  random: 'Random',
  bayesian: 'Bayesian (learns where to look)',
};

/** Grids up to this size start as grid search; larger spaces start as Bayesian with a trial budget. */
const DEFAULT_GRID_LIMIT = 2000;
const DEFAULT_TRIALS = 200;

function isCategorical(param: StrategyParam): boolean {
  return param.type === 'boolean' || param.type === 'string';
}

/** The options a categorical parameter can take, as text. */
export function optionsOf(param: StrategyParam): readonly string[] {
  if (param.type === 'boolean') return ['true', 'false'];
  return param.options ?? [];
}

/** A numeric parameter with a declared range is searched; everything else starts fixed at its default. */
export function defaultRow(param: StrategyParam): ParamRow {
  const searchable = !isCategorical(param) && param.min !== undefined && param.max !== undefined;
  return {
    mode: searchable ? 'search' : 'fixed',
    value: String(param.default),
    min: param.min !== undefined ? String(param.min) : '',
    max: param.max !== undefined ? String(param.max) : '',
    step: param.step !== undefined ? String(param.step) : '',
    options: optionsOf(param),
  };
}

/** Lattice points of one searched row, or null when it is continuous or not yet a valid range. */
function rowCount(param: StrategyParam, row: ParamRow): number | null {
  if (row.mode === 'fixed') return 1;
  if (isCategorical(param)) return row.options.length;
  const [min, max] = [Number(row.min), Number(row.max)];
  const step = row.step.trim() === '' ? param.step : Number(row.step);
  if (step === undefined || !(step > 0) || !Number.isFinite(min) || !Number.isFinite(max) || max < min)
    return null;
  return Math.floor((max - min) / step + 1e-9) + 1;
}

/** Combinations of the rows before constraints, or null when a row is continuous: a rough local count. */
export function roughGridSize(params: readonly StrategyParam[], rows: OptimizeForm['params']): number | null {
  let size = 1;
  for (const param of params) {
    const row = rows[param.name];
    const count = row ? rowCount(param, row) : 1;
    if (count === null) return null;
    size *= count;
  }
  return size;
}

/** The one-click form: every ranged parameter searched, Sharpe, no walk-forward, Monte Carlo on. */
export function defaultOptimizeForm(
  params: readonly StrategyParam[],
  datasets: readonly DatasetChoice[],
): OptimizeForm {
  const rows = Object.fromEntries(params.map((p) => [p.name, defaultRow(p)]));
  const grid = roughGridSize(params, rows);
  return {
    method: grid !== null && grid <= DEFAULT_GRID_LIMIT ? 'grid' : 'bayesian',
    trials: String(DEFAULT_TRIALS),
    params: rows,
    objective: 'sharpe',
    weights: { sharpe: '1', sortino: '0', calmar: '0', totalReturn: '0', profitFactor: '0' },
    minTrades: '',
    maxDrawdownPct: '',
    walkForward: 'off',
    folds: '5',
    oosPct: '25',
    monteCarlo: true,
    monteCarloRuns: '1000',
    ruinDrawdownPct: '50',
    backtest: defaultBacktestForm(datasets),
  };
}

export interface OptimizeInput {
  readonly datasetId: string;
  readonly spec: OptimizeSpecInput;
  /** The dataset's whole range: an optimization refuses paramValues, from and to in its settings. */
  readonly settings: Omit<SubmitSettings, 'paramValues' | 'from' | 'to'>;
}

export type OptimizeFormResult =
  | { readonly ok: true; readonly input: OptimizeInput }
  | { readonly ok: false; readonly errors: OptimizeErrors; readonly backtestErrors: FormErrors };

/** Text → number, or an error naming the field; '' is "not given" when optional. */
function parseNumber(text: string, label: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `${label} is required` };
  const value = Number(trimmed);
  return Number.isFinite(value) ? { value } : { error: `${label} must be a number, got "${trimmed}"` };
}

function parseValue(param: StrategyParam, text: string): { value: ParamValue } | { error: string } {
  if (param.type === 'boolean') {
    return text === 'true' || text === 'false'
      ? { value: text === 'true' }
      : { error: `${param.name} must be true or false` };
  }
  if (param.type === 'string') return { value: text };
  return parseNumber(text, param.name);
}

function rangeOf(
  param: StrategyParam,
  row: ParamRow,
  errors: Record<string, string>,
): RangeOverride | undefined {
  const path = `ranges.${param.name}`;
  if (row.mode === 'fixed') {
    const parsed = parseValue(param, row.value.trim());
    if ('error' in parsed) errors[`${path}.fixed`] = parsed.error;
    else return { fixed: parsed.value };
    return undefined;
  }
  if (isCategorical(param)) {
    if (row.options.length === 0) {
      errors[`${path}.values`] = `pick at least one value of ${param.name} to search`;
      return undefined;
    }
    return { values: row.options.map((o) => (param.type === 'boolean' ? o === 'true' : o)) };
  }
  const range: { min?: number; max?: number; step?: number } = {};
  for (const key of ['min', 'max', 'step'] as const) {
    if (key === 'step' && row.step.trim() === '') continue;
    const parsed = parseNumber(row[key], `${param.name} ${key}`);
    if ('error' in parsed) errors[`${path}.${key}`] = parsed.error;
    else range[key] = parsed.value;
  }
  return range;
}

function optional(
  text: string,
  label: string,
  path: string,
  errors: Record<string, string>,
): number | undefined {
  if (text.trim() === '') return undefined;
  const parsed = parseNumber(text, label);
  if ('error' in parsed) {
    errors[path] = parsed.error;
    return undefined;
  }
  return parsed.value;
}

function required(text: string, label: string, path: string, errors: Record<string, string>): number {
  const parsed = parseNumber(text, label);
  if ('error' in parsed) {
    errors[path] = parsed.error;
    return Number.NaN;
  }
  return parsed.value;
}

/**
 * Checks every field and builds the request. Parsing happens here; bounds (folds 2–20, runs ≥ 100…) are
 * the optimizer schema's, so the message a field shows is the one the server would give.
 */
export function toOptimizeInput(
  form: OptimizeForm,
  context: { readonly params: readonly StrategyParam[]; readonly datasets: readonly DatasetChoice[] },
): OptimizeFormResult {
  const errors: Record<string, string> = {};
  const ranges: Record<string, RangeOverride> = {};
  for (const param of context.params) {
    const row = form.params[param.name] ?? defaultRow(param);
    const range = rangeOf(param, row, errors);
    if (range) ranges[param.name] = range;
  }

  const weights: Partial<Record<ObjectiveMetric, number>> = {};
  if (form.objective === 'weighted') {
    for (const metric of OBJECTIVE_METRICS) {
      const w = optional(
        form.weights[metric],
        `weight of ${OBJECTIVE_LABELS[metric]}`,
        'objective.weights',
        errors,
      );
      if (w !== undefined && w !== 0) weights[metric] = w;
    }
  }
  const minTrades = optional(form.minTrades, 'Minimum trades', 'objective.minTrades', errors);
  const maxDrawdownPct = optional(
    form.maxDrawdownPct,
    'Maximum drawdown',
    'objective.maxDrawdownPct',
    errors,
  );

  const spec: OptimizeSpecInput = {
    method: form.method,
    ...(form.method === 'grid' ? {} : { trials: required(form.trials, 'Trials', 'trials', errors) }),
    ranges,
    objective: {
      metric: form.objective,
      ...(form.objective === 'weighted' ? { weights } : {}),
      ...(minTrades !== undefined ? { minTrades } : {}),
      ...(maxDrawdownPct !== undefined ? { maxDrawdownPct } : {}),
    },
    ...(form.walkForward === 'off'
      ? {}
      : {
          walkForward: {
            mode: form.walkForward,
            folds: required(form.folds, 'Folds', 'walkForward.folds', errors),
            oosRatio: required(form.oosPct, 'Out-of-sample share', 'walkForward.oosRatio', errors) / 100,
          },
        }),
    monteCarlo: form.monteCarlo
      ? {
          runs: required(form.monteCarloRuns, 'Monte Carlo runs', 'monteCarlo.runs', errors),
          ruinDrawdownPct: required(
            form.ruinDrawdownPct,
            'Ruin threshold',
            'monteCarlo.ruinDrawdownPct',
            errors,
          ),
        }
      : null,
  };

  // The schema's bounds, on the fields that parsed; the first message per path.
  const checked = OptimizeSpecSchema.safeParse(spec);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.map(String).join('.');
      const shown =
        path === 'walkForward.oosRatio' ? `${issue.message} (as a fraction; the form uses %)` : issue.message;
      errors[path] ??= shown;
    }
  }

  const backtest = validateForm(form.backtest, { datasets: context.datasets, params: [] });
  if (!backtest.ok || Object.keys(errors).length > 0) {
    return { ok: false, errors, backtestErrors: backtest.ok ? {} : backtest.errors };
  }
  const { paramValues: _params, from: _from, to: _to, ...settings } = backtest.settings;
  return { ok: true, input: { datasetId: backtest.datasetId, spec, settings } };
}

/** Server issue paths are the input's ("spec.ranges.fast.min"); the form keys them without "spec.". */
export function formPath(serverPath: string): string {
  return serverPath.startsWith('spec.') ? serverPath.slice('spec.'.length) : serverPath;
}

/** The message for a field: an exact path, or one below it ("ranges.fast" shows "ranges.fast.min"). */
export function errorAt(errors: OptimizeErrors, path: string): string | undefined {
  if (errors[path] !== undefined) return errors[path];
  const below = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return below === undefined ? undefined : errors[below];
}
