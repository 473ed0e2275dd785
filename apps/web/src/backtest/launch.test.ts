// One click on Backtest, against a real editor store and fake server calls: refuses what does not
// compile, saves unsaved work before running, generates demo data for a user with none, and stops
// at the first step that fails.
import { readFileSync } from 'node:fs';
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { createEditorStore, type EditorStore } from '../editor/store';
import { type LaunchDeps, launchBacktest } from './launch';
import { type DatasetChoice, defaultForm } from './settings-form';

const emaCross: Graph = GraphSchema.parse(
  JSON.parse(readFileSync(new URL('../../../../examples/ema-cross.json', import.meta.url), 'utf8')),
);
const SAVED = { id: 'v1', number: 1, contentHash: 'h1' };
const dataset: DatasetChoice = {
  id: 'd1',
  name: 'BTC',
  symbol: 'BTC/USDT',
  timeframe: '1h',
  bars: 100,
  firstTime: Date.UTC(2024, 0, 1),
  lastTime: Date.UTC(2024, 0, 5),
};

function storeWith(graph: Graph, saved: typeof SAVED | null): EditorStore {
  return createEditorStore({ strategyId: 's1', initialGraph: graph, savedVersion: saved, compileDelayMs: 0 });
}

function fakes(store: EditorStore, overrides: Partial<LaunchDeps> = {}) {
  const calls: string[] = [];
  const submitted: unknown[] = [];
  const deps: LaunchDeps = {
    store,
    listDatasets: async () => [dataset],
    generateDemo: async () => {
      calls.push('generate');
      return { ...dataset, id: 'demo' };
    },
    save: async (s) => {
      calls.push('save');
      s.actions.markSaved({ id: 'v2', number: 2, contentHash: 'h2' });
      return { ok: true, message: 'Saved as version 2.' };
    },
    submit: async (input) => {
      calls.push('submit');
      submitted.push(input);
      return { id: 'run-1' };
    },
    ...overrides,
  };
  return { deps, calls, submitted };
}

describe('launchBacktest', () => {
  it('submits the saved version with the newest dataset and default settings when nothing is unsaved', async () => {
    const store = storeWith(emaCross, SAVED);
    const { deps, calls, submitted } = fakes(store);

    const outcome = await launchBacktest(defaultForm([]), deps);

    expect(outcome).toMatchObject({ kind: 'submitted', runId: 'run-1', versionNumber: 1, saved: false });
    expect(calls).toEqual(['submit']);
    expect(submitted[0]).toMatchObject({
      strategyVersionId: 'v1',
      datasetId: 'd1',
      settings: { initialCash: 10_000, fill: 'next_open', takerFee: 0.0005 },
    });
  });

  it('saves an unsaved graph first, then runs the version it saved', async () => {
    const store = storeWith(emaCross, SAVED);
    store.actions.updateNodeParams('fast_ema', { period: 9 });
    const { deps, calls, submitted } = fakes(store);

    const outcome = await launchBacktest(defaultForm([dataset]), deps);

    expect(calls).toEqual(['save', 'submit']);
    expect(outcome).toMatchObject({ kind: 'submitted', versionNumber: 2, saved: true });
    expect(submitted[0]).toMatchObject({ strategyVersionId: 'v2' });
  });

  it('refuses a strategy that does not compile, listing its errors, without saving or running', async () => {
    const broken = { ...emaCross, edges: emaCross.edges.filter((e) => e.target !== 'cross_up') };
    const store = storeWith(broken, null);
    const { deps, calls } = fakes(store);

    const outcome = await launchBacktest(defaultForm([dataset]), deps);

    expect(outcome.kind).toBe('compile-errors');
    if (outcome.kind !== 'compile-errors') return;
    expect(outcome.diagnostics.some((d) => d.code === 'MISSING_INPUT' && d.nodeId === 'cross_up')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('generates the demo dataset for a user who has none and runs on it', async () => {
    const store = storeWith(emaCross, SAVED);
    const { deps, calls, submitted } = fakes(store, { listDatasets: async () => [] });

    const outcome = await launchBacktest(defaultForm([]), deps);

    expect(outcome.kind).toBe('submitted');
    expect(calls).toEqual(['generate', 'submit']);
    expect(submitted[0]).toMatchObject({ datasetId: 'demo' });
  });

  it('returns the bad fields, and neither saves nor runs, when the settings are invalid', async () => {
    const store = storeWith(emaCross, null);
    const { deps, calls } = fakes(store);

    const badCash = await launchBacktest({ ...defaultForm([dataset]), initialCash: '-5' }, deps);
    const badParams = await launchBacktest({ ...defaultForm([dataset]), params: { fast: '40' } }, deps);

    expect(badCash).toMatchObject({
      kind: 'invalid',
      errors: { initialCash: expect.stringMatching(/more than 0/) },
    });
    expect(badParams).toMatchObject({ kind: 'invalid', errors: { 'param.fast': expect.any(String) } });
    expect(calls).toEqual([]);
  });

  it('stops when saving fails, with the reason', async () => {
    const store = storeWith(emaCross, null);
    const { deps, calls } = fakes(store, {
      save: async () => ({ ok: false, message: 'The strategy does not compile.' }),
    });

    const outcome = await launchBacktest(defaultForm([dataset]), deps);

    expect(outcome).toEqual({
      kind: 'failed',
      step: 'save',
      message: 'Not run: saving failed. The strategy does not compile.',
    });
    expect(calls).toEqual([]);
  });

  it('reports a refused submit with what the server threw', async () => {
    const refusal = Object.assign(new Error('Over your quota'), { data: { code: 'QUOTA_EXCEEDED' } });
    const store = storeWith(emaCross, SAVED);
    const { deps } = fakes(store, {
      submit: async () => {
        throw refusal;
      },
    });

    const outcome = await launchBacktest(defaultForm([dataset]), deps);

    expect(outcome).toMatchObject({
      kind: 'failed',
      step: 'submit',
      message: 'Over your quota',
      cause: refusal,
    });
  });

  it('reports a dataset list that cannot be read', async () => {
    const store = storeWith(emaCross, SAVED);
    const { deps } = fakes(store, {
      listDatasets: async () => {
        throw new Error('network down');
      },
    });

    const outcome = await launchBacktest(defaultForm([dataset]), deps);

    expect(outcome).toMatchObject({
      kind: 'failed',
      step: 'data',
      message: 'Could not prepare a dataset: network down',
    });
  });
});
