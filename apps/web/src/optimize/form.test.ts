// The optimize form's data: rows prefilled from the strategy's parameter definitions, the method chosen
// by the space's size, and the conversion into the request with errors keyed by the request's paths.
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import emaCrossJson from '../../../../examples/ema-cross.json';
import type { DatasetChoice } from '../backtest/settings-form';
import {
  defaultOptimizeForm,
  errorAt,
  formPath,
  type OptimizeForm,
  roughGridSize,
  toOptimizeInput,
} from './form';

const emaCross: Graph = GraphSchema.parse(emaCrossJson);
const params = emaCross.params;
const datasets: DatasetChoice[] = [
  {
    id: 'd1',
    name: 'Demo',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    bars: 5000,
    firstTime: 0,
    lastTime: 5000 * 3_600_000,
  },
];

function withRow(
  form: OptimizeForm,
  name: string,
  patch: Partial<OptimizeForm['params'][string]>,
): OptimizeForm {
  return { ...form, params: { ...form.params, [name]: { ...form.params[name]!, ...patch } } };
}

describe('defaultOptimizeForm', () => {
  it('searches every ranged parameter over its declared range and step', () => {
    const form = defaultOptimizeForm(params, datasets);
    expect(form.params.fast).toMatchObject({ mode: 'search', min: '2', max: '100', step: '1', value: '12' });
    expect(form.params.atrMult).toMatchObject({ mode: 'search', min: '0.5', max: '6', step: '0.5' });
    expect(form.backtest.datasetId).toBe('d1');
  });

  it('starts as Bayesian when the full grid is huge, and as grid when it is small', () => {
    expect(defaultOptimizeForm(params, datasets).method).toBe('bayesian');
    const small = params.map((p) => (p.name === 'fast' ? p : { ...p, min: undefined, max: undefined }));
    expect(defaultOptimizeForm(small, datasets).method).toBe('grid');
  });
});

describe('roughGridSize', () => {
  it('multiplies the lattice sizes of searched rows and counts fixed rows once', () => {
    let form = defaultOptimizeForm(params, datasets);
    for (const name of ['rsiPeriod', 'rsiMax', 'atrMult']) form = withRow(form, name, { mode: 'fixed' });
    form = withRow(form, 'fast', { min: '5', max: '9', step: '1' });
    form = withRow(form, 'slow', { min: '20', max: '30', step: '5' });
    expect(roughGridSize(params, form.params)).toBe(15);
  });
});

describe('toOptimizeInput', () => {
  it('builds ranges, fixed values, the objective, walk-forward and Monte Carlo', () => {
    let form = defaultOptimizeForm(params, datasets);
    form = withRow(form, 'fast', { min: '5', max: '9' });
    form = withRow(form, 'rsiMax', { mode: 'fixed', value: '65' });
    form = {
      ...form,
      method: 'grid',
      minTrades: '10',
      walkForward: 'anchored',
      folds: '3',
      oosPct: '30',
      monteCarloRuns: '500',
    };
    const result = toOptimizeInput(form, { params, datasets });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { spec, settings, datasetId } = result.input;
    expect(datasetId).toBe('d1');
    expect(spec.ranges?.fast).toEqual({ min: 5, max: 9, step: 1 });
    expect(spec.ranges?.rsiMax).toEqual({ fixed: 65 });
    expect(spec.objective).toEqual({ metric: 'sharpe', minTrades: 10 });
    expect(spec.walkForward).toEqual({ mode: 'anchored', folds: 3, oosRatio: 0.3 });
    expect(spec.monteCarlo).toEqual({ runs: 500, ruinDrawdownPct: 50 });
    // Grid runs every combination: no budget is sent. Dates and parameter values are never sent.
    expect(spec.trials).toBeUndefined();
    expect(settings).not.toHaveProperty('paramValues');
    expect(settings).not.toHaveProperty('from');
  });

  it('keys errors by the request path: unparsable numbers, schema bounds and the weighted objective', () => {
    let form = defaultOptimizeForm(params, datasets);
    form = withRow(form, 'slow', { max: 'lots' });
    form = {
      ...form,
      walkForward: 'rolling',
      folds: '1',
      objective: 'weighted',
      weights: { ...form.weights, sharpe: '0' },
    };
    const result = toOptimizeInput(form, { params, datasets });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['ranges.slow.max']).toBe('slow max must be a number, got "lots"');
    expect(result.errors['walkForward.folds']).toMatch(/2/);
    expect(result.errors['objective.weights']).toBe(
      'a weighted objective needs at least one non-zero weight',
    );
  });

  it('refuses a categorical search with no value picked, and sends picked booleans as booleans', () => {
    const flag = { name: 'useFilter', type: 'boolean' as const, default: true };
    const base = defaultOptimizeForm([flag], datasets);
    const none = withRow(base, 'useFilter', { mode: 'search', options: [] });
    const refused = toOptimizeInput(none, { params: [flag], datasets });
    expect(refused.ok ? {} : refused.errors).toHaveProperty('ranges.useFilter.values');
    const both = withRow(base, 'useFilter', { mode: 'search', options: ['true', 'false'] });
    const accepted = toOptimizeInput(both, { params: [flag], datasets });
    expect(accepted.ok && accepted.input.spec.ranges?.useFilter).toEqual({ values: [true, false] });
  });
});

describe('server paths', () => {
  it('drops the request prefix and finds a field by an issue below it', () => {
    expect(formPath('spec.ranges.fast.min')).toBe('ranges.fast.min');
    expect(formPath('settings.initialCash')).toBe('settings.initialCash');
    expect(errorAt({ 'ranges.fast.min': 'too big' }, 'ranges.fast')).toBe('too big');
    expect(errorAt({ 'ranges.fastest': 'x' }, 'ranges.fast')).toBeUndefined();
  });
});
