// @vitest-environment happy-dom
import { catalog } from '@candleflow/nodes';
import { compile } from '@candleflow/strategy-dsl';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StrategiesPage, starterGraph } from './StrategiesPage';
import { makeUser, renderAs, serverError } from './test-support/render';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  create: vi.fn(),
  rename: vi.fn(),
  duplicate: vi.fn(),
  remove: vi.fn(),
  importJson: vi.fn(),
  exportJson: vi.fn(),
  download: vi.fn(),
}));
vi.mock('../api/client', () => ({
  trpc: {
    strategies: {
      list: { query: api.list },
      create: { mutate: api.create },
      rename: { mutate: api.rename },
      duplicate: { mutate: api.duplicate },
      delete: { mutate: api.remove },
      importJson: { mutate: api.importJson },
      exportJson: { query: api.exportJson },
    },
  },
}));
vi.mock('./lazy-pages', () => ({
  TemplateGallery: (props: { onCreated: (id: string) => void }) => (
    <button type="button" data-testid="template-stub" onClick={() => props.onCreated('from-template')}>
      template
    </button>
  ),
}));
vi.mock('./upload', async (original) => ({
  ...(await original<typeof import('./upload')>()),
  downloadText: api.download,
}));

const mine = {
  id: 's1',
  name: 'EMA cross',
  description: '',
  visibility: 'PRIVATE',
  ownerId: 'u-trader',
  mine: true,
  latestVersion: 3,
  forkedFromVersionId: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-02T00:00:00.000Z',
};
const shared = {
  ...mine,
  id: 's2',
  name: 'Public RSI',
  visibility: 'PUBLIC',
  ownerId: 'u-other',
  mine: false,
};

describe('StrategiesPage', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/');
    api.list.mockResolvedValue([mine, shared]);
  });
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('lists strategies with a row per id', async () => {
    renderAs(makeUser('trader'), <StrategiesPage />);
    expect(await screen.findByTestId('strategy-row-s1')).toBeTruthy();
    expect(screen.getByTestId('strategy-row-s2').textContent).toContain('Public RSI');
    expect(api.list).toHaveBeenCalledWith({ scope: 'all' });
  });

  it('gives a viewer no create, import, rename, duplicate or delete controls', async () => {
    renderAs(makeUser('viewer'), <StrategiesPage />);
    await screen.findByTestId('strategy-row-s1');
    for (const id of [
      'new-strategy',
      'strategy-import',
      'strategy-rename-s1',
      'strategy-duplicate-s1',
      'strategy-delete-s1',
    ]) {
      expect(screen.queryByTestId(id), id).toBeNull();
    }
    expect(screen.getByTestId('strategy-export-s1')).toBeTruthy();
    expect(screen.getByTestId('viewer-notice')).toBeTruthy();
  });

  it('lets a trader rename and delete only their own strategies', async () => {
    renderAs(makeUser('trader'), <StrategiesPage />);
    await screen.findByTestId('strategy-row-s1');
    expect(screen.getByTestId('strategy-rename-s1')).toBeTruthy();
    expect(screen.getByTestId('strategy-delete-s1')).toBeTruthy();
    expect(screen.queryByTestId('strategy-rename-s2')).toBeNull();
    expect(screen.queryByTestId('strategy-delete-s2')).toBeNull();
    expect(screen.getByTestId('strategy-duplicate-s2').textContent).toBe('Fork');
  });

  it('creates a starter strategy under the typed name and opens it', async () => {
    api.create.mockResolvedValue({ strategy: { id: 'new-1' } });
    renderAs(makeUser('trader'), <StrategiesPage />);
    fireEvent.click(await screen.findByTestId('new-strategy'));
    fireEvent.change(screen.getByTestId('new-strategy-name'), { target: { value: 'My idea' } });
    fireEvent.click(screen.getByTestId('new-blank'));

    await waitFor(() => expect(location.pathname).toBe('/strategies/new-1'));
    expect(api.create).toHaveBeenCalledWith({ name: 'My idea', graph: starterGraph('My idea') });
  });

  it('opens a strategy created from a template', async () => {
    renderAs(makeUser('trader'), <StrategiesPage />);
    fireEvent.click(await screen.findByTestId('new-strategy'));
    fireEvent.click(await screen.findByTestId('template-stub'));
    await waitFor(() => expect(location.pathname).toBe('/strategies/from-template'));
  });

  it('renames in place', async () => {
    api.rename.mockResolvedValue({});
    renderAs(makeUser('trader'), <StrategiesPage />);
    fireEvent.click(await screen.findByTestId('strategy-rename-s1'));
    fireEvent.change(screen.getByTestId('strategy-rename-input-s1'), { target: { value: '  Renamed  ' } });
    fireEvent.click(screen.getByTestId('strategy-rename-save-s1'));
    await waitFor(() => expect(api.rename).toHaveBeenCalledWith({ id: 's1', name: 'Renamed' }));
  });

  it('deletes only after confirmation', async () => {
    api.remove.mockResolvedValue({ id: 's1' });
    renderAs(makeUser('trader'), <StrategiesPage />);
    fireEvent.click(await screen.findByTestId('strategy-delete-s1'));
    expect(api.remove).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('strategy-delete-s1-confirm'));
    await waitFor(() => expect(api.remove).toHaveBeenCalledWith({ id: 's1' }));
  });

  it('exports the latest version as a file named by the server', async () => {
    api.exportJson.mockResolvedValue({ fileName: 'ema-cross-v3.json', json: '{"schemaVersion":1}\n' });
    renderAs(makeUser('viewer'), <StrategiesPage />);
    fireEvent.click(await screen.findByTestId('strategy-export-s1'));
    await waitFor(() =>
      expect(api.download).toHaveBeenCalledWith('ema-cross-v3.json', '{"schemaVersion":1}\n'),
    );
  });

  it('imports a chosen JSON file and shows the server refusal when it is bad', async () => {
    api.importJson.mockRejectedValue(
      serverError(
        'VALIDATION_FAILED',
        'The file is not valid JSON (Unexpected token); export the strategy again or fix the file.',
        {
          issues: [{ path: 'json', code: 'invalid_json', message: 'not valid JSON' }],
        },
      ),
    );
    renderAs(makeUser('trader'), <StrategiesPage />);
    const input = (await screen.findByTestId('strategy-import-file')) as HTMLInputElement;
    const file = new File(['{ nope'], 'bad.json', { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file] } });

    const error = await screen.findByTestId('strategy-action-error');
    expect(api.importJson).toHaveBeenCalledWith({ json: '{ nope' });
    expect(error.textContent).toContain('The file is not valid JSON');
    expect(error.dataset.code).toBe('VALIDATION_FAILED');
  });
});

describe('starterGraph', () => {
  it('compiles with the real node catalog, as the server requires of every saved version', () => {
    const result = compile(starterGraph('Starter'), catalog);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
