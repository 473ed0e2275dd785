// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetsPage, guessSymbol, nameFromFile } from './DatasetsPage';
import { makeUser, renderAs, serverError } from './test-support/render';

const api = vi.hoisted(() => ({ list: vi.fn(), generate: vi.fn(), remove: vi.fn(), upload: vi.fn() }));
vi.mock('../api/client', () => ({
  trpc: {
    datasets: {
      list: { query: api.list },
      generate: { mutate: api.generate },
      delete: { mutate: api.remove },
    },
  },
}));
vi.mock('./upload', async (original) => ({
  ...(await original<typeof import('./upload')>()),
  uploadCsv: api.upload,
}));

const dataset = {
  id: 'd1',
  name: 'Demo BTC',
  symbol: 'BTC/USDT',
  timeframe: '1h',
  bars: 5000,
  firstTime: Date.UTC(2024, 0, 1),
  lastTime: Date.UTC(2024, 6, 27),
  dataHash: 'h',
  source: 'GENERATED',
  importReport: null,
  createdAt: '2030-01-01T00:00:00.000Z',
};

function chooseFile(name: string, text: string) {
  const file = new File([text], name, { type: 'text/csv' });
  fireEvent.change(screen.getByTestId('dataset-upload'), { target: { files: [file] } });
}

describe('DatasetsPage', () => {
  beforeEach(() => api.list.mockResolvedValue([dataset]));
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('lists datasets with their size and source', async () => {
    renderAs(makeUser('trader'), <DatasetsPage />);
    const row = await screen.findByTestId('dataset-row-d1');
    expect(row.textContent).toContain('BTC/USDT');
    expect(row.textContent).toContain((5000).toLocaleString());
    expect(row.textContent).toContain('generated');
  });

  it('shows a viewer the list without upload, generate or delete', async () => {
    renderAs(makeUser('viewer'), <DatasetsPage />);
    await screen.findByTestId('dataset-row-d1');
    expect(screen.queryByTestId('dataset-upload')).toBeNull();
    expect(screen.queryByTestId('dataset-generate')).toBeNull();
    expect(screen.queryByTestId('dataset-delete-d1')).toBeNull();
  });

  it('uploads the chosen file with a name and symbol taken from its file name, showing progress', async () => {
    let report: ((f: number) => void) | undefined;
    let finish: (value: unknown) => void = () => undefined;
    api.upload.mockImplementation((_input: unknown, options: { onProgress: (f: number) => void }) => {
      report = options.onProgress;
      return new Promise((resolve) => {
        finish = resolve;
      });
    });
    renderAs(makeUser('trader'), <DatasetsPage />);
    await screen.findByTestId('dataset-row-d1');

    chooseFile('ETHUSDT-1h.csv', 'timestamp,open,high,low,close,volume\n');
    fireEvent.click(screen.getByTestId('dataset-upload-submit'));
    await waitFor(() => expect(api.upload).toHaveBeenCalled());
    report?.(0.4);

    expect((await screen.findByTestId('dataset-upload-progress')).textContent).toContain('40% sent');
    expect(api.upload.mock.calls[0]?.[0]).toEqual({
      name: 'ETHUSDT-1h',
      symbol: 'ETH/USDT',
      csv: 'timestamp,open,high,low,close,volume\n',
      gaps: 'keep',
      fileName: 'ETHUSDT-1h.csv',
    });
    finish({ id: 'd2' });
    await waitFor(() => expect(screen.queryByTestId('dataset-upload-progress')).toBeNull());
  });

  it('lists the server’s per-line errors for a bad file', async () => {
    api.upload.mockRejectedValue(
      serverError('VALIDATION_FAILED', 'The CSV file is invalid: x.csv line 3: high 9 is below low 10', {
        line: 3,
        column: 3,
        issues: [{ path: 'csv', code: 'invalid_csv', message: 'high 9 is below low 10', line: 3 }],
      }),
    );
    renderAs(makeUser('trader'), <DatasetsPage />);
    await screen.findByTestId('dataset-row-d1');
    chooseFile('x.csv', 'bad');
    fireEvent.change(screen.getByTestId('dataset-symbol'), { target: { value: 'BTC/USDT' } });
    fireEvent.click(screen.getByTestId('dataset-upload-submit'));

    const error = await screen.findByTestId('dataset-upload-error');
    expect(error.textContent).toContain('line 3, column 3: high 9 is below low 10');
    expect(error.textContent).toContain('VALIDATION_FAILED');
  });

  it('generates demo data with the chosen settings', async () => {
    api.generate.mockResolvedValue({ id: 'd3' });
    renderAs(makeUser('trader'), <DatasetsPage />);
    await screen.findByTestId('dataset-row-d1');
    fireEvent.change(screen.getByTestId('generate-timeframe'), { target: { value: '4h' } });
    fireEvent.change(screen.getByTestId('generate-seed'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('dataset-generate'));
    await waitFor(() =>
      expect(api.generate).toHaveBeenCalledWith({ symbol: 'BTC/USDT', timeframe: '4h', bars: 5000, seed: 7 }),
    );
  });

  it('reports a refused delete (dataset in use)', async () => {
    api.remove.mockRejectedValue(
      serverError(
        'CONFLICT',
        'Dataset d1 is used by 1 queued or running backtest; cancel them or wait, then delete it.',
      ),
    );
    renderAs(makeUser('trader'), <DatasetsPage />);
    fireEvent.click(await screen.findByTestId('dataset-delete-d1'));
    fireEvent.click(screen.getByTestId('dataset-delete-d1-confirm'));
    expect((await screen.findByTestId('dataset-action-error')).dataset.code).toBe('CONFLICT');
  });
});

describe('file name helpers', () => {
  it('drops the extension for the name', () => {
    expect(nameFromFile('GOOG.csv')).toBe('GOOG');
    expect(nameFromFile('.csv')).toBe('Uploaded data');
  });

  it('guesses pairs and tickers, or nothing', () => {
    expect(guessSymbol('BTCUSDT-1h.csv')).toBe('BTC/USDT');
    expect(guessSymbol('eth_usd.csv')).toBe('ETH/USD');
    expect(guessSymbol('GOOG.csv')).toBe('GOOG');
    expect(guessSymbol('2024 data.csv')).toBeNull();
  });
});
