// The backtest form: its one-click defaults are the server's, what it submits the server accepts, and
// each bad field is named with what is wrong.
import { readFileSync } from 'node:fs';
import type { Graph } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { backtestSettingsInput } from '../../../server/src/routers/backtests/settings';
import {
  type BacktestForm,
  type DatasetChoice,
  defaultForm,
  paramValueErrors,
  parseUtcDate,
  SERVER_DEFAULTS,
  unrealisticChoices,
  utcDateText,
  validateForm,
} from './settings-form';

const emaCross = JSON.parse(
  readFileSync(new URL('../../../../examples/ema-cross.json', import.meta.url), 'utf8'),
) as Graph;

const newest: DatasetChoice = {
  id: 'd2',
  name: 'My BTC',
  symbol: 'BTC/USDT',
  timeframe: '1h',
  bars: 48,
  firstTime: Date.UTC(2024, 0, 1),
  lastTime: Date.UTC(2024, 0, 2, 23),
};
const older: DatasetChoice = { ...newest, id: 'd1', name: 'Demo' };
const context = { datasets: [newest, older], params: emaCross.params ?? [] };

function form(overrides: Partial<BacktestForm> = {}): BacktestForm {
  return { ...defaultForm([newest, older]), ...overrides };
}

describe('defaultForm', () => {
  it("holds the server's own defaults for cash, fees, slippage, fill, market and leverage", () => {
    const server = backtestSettingsInput.parse({});

    expect(SERVER_DEFAULTS).toEqual({
      initialCash: server.initialCash,
      market: server.market,
      leverage: server.leverage,
      fill: server.fill,
      makerFee: server.makerFee,
      takerFee: server.takerFee,
      slippage: server.slippage,
    });
  });

  it('picks the newest dataset, the full range, 10,000 cash and next-open fills', () => {
    const f = defaultForm([newest, older]);

    expect(f).toMatchObject({ datasetId: 'd2', from: '', to: '', initialCash: '10000', fill: 'next_open' });
    expect([f.makerFeePct, f.takerFeePct, f.slippageValue]).toEqual(['0.02', '0.05', '0.02']);
  });

  it('submits, untouched, exactly the settings the server would default to', () => {
    const result = validateForm(form(), context);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const server = backtestSettingsInput.parse({});
    expect(backtestSettingsInput.parse(result.settings)).toEqual(server);
    expect(result.datasetId).toBe('d2');
  });
});

describe('validateForm', () => {
  it('turns percent fees and dates into fractions and a UTC range that includes the end day', () => {
    const result = validateForm(
      form({ makerFeePct: '0.1', takerFeePct: '0.2', from: '2024-01-01', to: '2024-01-01' }),
      context,
    );

    expect(result.ok && result.settings).toMatchObject({
      makerFee: 0.001,
      takerFee: 0.002,
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 0, 2),
    });
  });

  it('builds each slippage model from its one number', () => {
    const of = (slippageKind: BacktestForm['slippageKind'], slippageValue: string) => {
      const r = validateForm(form({ slippageKind, slippageValue }), context);
      return r.ok ? r.settings.slippage : r.errors;
    };

    expect(of('proportional', '0.5')).toEqual({ kind: 'proportional', rate: 0.005 });
    expect(of('fixed', '2')).toEqual({ kind: 'fixed', amount: 2 });
    expect(of('sqrt_impact', '0.7')).toEqual({ kind: 'sqrt_impact', coefficient: 0.7 });
    expect(of('none', 'anything')).toEqual({ kind: 'none' });
  });

  it('names every bad field with what is wrong', () => {
    const result = validateForm(
      form({ initialCash: 'lots', takerFeePct: '7', leverage: '200', slippageValue: '', from: '2024-02-30' }),
      context,
    );

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      initialCash: 'Starting cash must be a number, got "lots"',
      takerFeePct: 'Taker fee (%) must be at least 0 and at most 5',
      leverage: 'Leverage must be at least 1 and at most 125',
      slippageValue: 'Slippage (%) is required',
      from: '"2024-02-30" is not a date (YYYY-MM-DD)',
    });
  });

  it('refuses an end before the start, and a range that selects none of the bars', () => {
    const backwards = validateForm(form({ from: '2024-01-02', to: '2024-01-01' }), context);
    const outside = validateForm(form({ from: '2025-01-01' }), context);

    expect(!backwards.ok && backwards.errors.to).toBe('the end date must not be before the start');
    expect(!outside.ok && outside.errors.from).toBe(
      'My BTC has bars from 2024-01-01 to 2024-01-02 only; this range selects none',
    );
  });

  it('ignores leverage on spot, where the server forces 1', () => {
    const result = validateForm(form({ market: 'spot', leverage: 'x' }), context);

    expect(result.ok && result.settings.leverage).toBe(1);
  });

  it('says how to get a dataset when there is none', () => {
    const result = validateForm(defaultForm([]), { datasets: [], params: [] });

    expect(!result.ok && result.errors.datasetId).toMatch(/upload a CSV or generate demo data/);
  });

  it('checks parameter overrides against their declared type and range, leaving blanks at the default', () => {
    const result = validateForm(form({ params: { fast: '2.5', slow: '', rsiMax: '95' } }), context);
    const fine = validateForm(form({ params: { fast: '5', rsiMax: '60' } }), context);

    expect(!result.ok && result.errors).toEqual({
      'param.fast': 'fast must be a whole number',
      'param.rsiMax': 'rsiMax must be at least 50 and at most 90',
    });
    expect(fine.ok && fine.settings.paramValues).toEqual({ fast: 5, rsiMax: 60 });
  });
});

describe('paramValueErrors', () => {
  it("reports a broken constraint (fast < slow) on the override that breaks it, in the compiler's words", () => {
    const errors = paramValueErrors(emaCross, { fast: 40 });

    expect(Object.keys(errors)).toEqual(['param.fast']);
    expect(errors['param.fast']).toMatch(/fast/);
  });

  it('finds nothing wrong with overrides that keep the constraints', () => {
    expect(paramValueErrors(emaCross, { fast: 5, slow: 50 })).toEqual({});
    expect(paramValueErrors(emaCross, {})).toEqual({});
  });
});

describe('dates and realism', () => {
  it('reads only real calendar dates, as UTC midnights', () => {
    expect(parseUtcDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseUtcDate('2023-02-29')).toBeNull();
    expect(parseUtcDate('01/02/2024')).toBeNull();
    expect(utcDateText(Date.UTC(2024, 11, 31, 23, 59))).toBe('2024-12-31');
  });

  it('lists the settings that make a result optimistic', () => {
    const result = validateForm(
      form({ makerFeePct: '0', takerFeePct: '0', slippageKind: 'none', fill: 'close' }),
      context,
    );

    expect(result.ok && unrealisticChoices(result.settings)).toHaveLength(3);
    const realistic = validateForm(form(), context);
    expect(realistic.ok && unrealisticChoices(realistic.settings)).toEqual([]);
  });
});
