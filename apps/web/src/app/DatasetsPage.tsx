// Datasets: upload a CSV (with a progress bar and the server's per-line errors), generate seeded
// demo candles, list and delete. Viewers see the list only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { trpc } from '../api/client';
import { describeServerError, type ServerErrorInfo, useServerError } from '../api/errors';
import { useCanEdit } from '../api/hooks';
import { ConfirmButton, ErrorNotice, Field, formatDate, Spinner } from './ui';
import { readFileText, uploadCsv } from './upload';

const DATASETS_KEY = ['datasets', 'list'] as const;

/** A dataset name from a file name: "BTC-USDT_1h.csv" → "BTC-USDT_1h". */
export function nameFromFile(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '').trim() || 'Uploaded data';
}

/** A symbol guessed from a file name ("BTCUSDT-1h.csv" → "BTC/USDT"), or null when unsure. */
export function guessSymbol(fileName: string): string | null {
  const stem = nameFromFile(fileName).toUpperCase();
  const pair = stem.match(/\b([A-Z0-9]{2,10})[-_/]?(USDT|USDC|USD|EUR|BTC|ETH|BUSD)\b/);
  if (pair?.[1] && pair[2]) return `${pair[1]}/${pair[2]}`;
  const ticker = stem.match(/^([A-Z][A-Z0-9.]{0,9})\b/);
  return ticker?.[1] ?? null;
}

function formatBars(n: number): string {
  return n.toLocaleString();
}

function UploadForm() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [symbol, setSymbol] = useState('');
  const [timeframe, setTimeframe] = useState('');
  const [gaps, setGaps] = useState<'keep' | 'fill'>('keep');
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error('Choose a CSV file first.');
      setProgress(0);
      const csv = await readFileText(file);
      return uploadCsv(
        {
          name: name.trim() || nameFromFile(file.name),
          symbol: symbol.trim(),
          csv,
          gaps,
          fileName: file.name,
          ...(timeframe.trim() ? { timeframe: timeframe.trim() } : {}),
        },
        { onProgress: setProgress },
      );
    },
    onSuccess: async () => {
      setFile(null);
      setName('');
      await queryClient.invalidateQueries({ queryKey: ['datasets'] });
    },
    onSettled: () => setProgress(null),
  });
  const error = useServerError(upload.error);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    upload.mutate();
  };

  return (
    <form className="cf-card cf-form" onSubmit={onSubmit} data-testid="dataset-upload-form">
      <h2>Upload CSV</h2>
      <p className="cf-muted cf-small">
        Columns: time (ISO date or Unix ms), open, high, low, close, volume. Bad rows are reported by line and
        nothing is stored.
      </p>
      <Field label="File">
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="dataset-upload"
          onChange={(e) => {
            const chosen = e.target.files?.[0] ?? null;
            setFile(chosen);
            if (chosen) {
              setName(nameFromFile(chosen.name));
              if (!symbol) setSymbol(guessSymbol(chosen.name) ?? '');
            }
          }}
        />
      </Field>
      <div className="cf-grid-2">
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="dataset-name" />
        </Field>
        <Field label="Symbol" hint='e.g. "BTC/USDT" or "GOOG"'>
          <input
            value={symbol}
            required
            onChange={(e) => setSymbol(e.target.value)}
            data-testid="dataset-symbol"
          />
        </Field>
        <Field label="Timeframe" hint="Leave empty to infer it from the bar spacing">
          <input
            value={timeframe}
            placeholder="auto"
            onChange={(e) => setTimeframe(e.target.value)}
            data-testid="dataset-timeframe"
          />
        </Field>
        <Field label="Missing bars">
          <select
            value={gaps}
            onChange={(e) => setGaps(e.target.value as 'keep' | 'fill')}
            data-testid="dataset-gaps"
          >
            <option value="keep">Keep gaps (reported)</option>
            <option value="fill">Fill with flat bars</option>
          </select>
        </Field>
      </div>
      {progress !== null ? (
        <div className="cf-progress" data-testid="dataset-upload-progress">
          <progress max={1} value={progress} aria-label="Upload progress" />
          <span>
            {progress < 1 ? `${Math.round(progress * 100)}% sent` : 'Checking the file on the server…'}
          </span>
        </div>
      ) : null}
      <ErrorNotice error={error} testId="dataset-upload-error" maxIssues={50} />
      <button
        type="submit"
        className="cf-button cf-button--primary"
        disabled={!file || !symbol.trim() || upload.isPending}
        data-testid="dataset-upload-submit"
      >
        {upload.isPending ? 'Uploading…' : 'Upload'}
      </button>
    </form>
  );
}

function GenerateForm() {
  const queryClient = useQueryClient();
  const [symbol, setSymbol] = useState('BTC/USDT');
  const [timeframe, setTimeframe] = useState('1h');
  const [bars, setBars] = useState(5000);
  const [seed, setSeed] = useState(1);
  const generate = useMutation({
    mutationFn: () => trpc.datasets.generate.mutate({ symbol, timeframe, bars, seed }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['datasets'] }),
  });
  const error = useServerError(generate.error);
  return (
    <form
      className="cf-card cf-form"
      onSubmit={(e) => {
        e.preventDefault();
        generate.mutate();
      }}
      data-testid="dataset-generate-form"
    >
      <h2>Generate demo data</h2>
      <p className="cf-muted cf-small">
        Synthetic trends, ranges and shocks; the same seed always gives the same candles.
      </p>
      <div className="cf-grid-2">
        <Field label="Symbol">
          <input value={symbol} onChange={(e) => setSymbol(e.target.value)} data-testid="generate-symbol" />
        </Field>
        <Field label="Timeframe">
          <select
            value={timeframe}
            onChange={(e) => setTimeframe(e.target.value)}
            data-testid="generate-timeframe"
          >
            {['1m', '5m', '15m', '1h', '4h', '1d'].map((tf) => (
              <option key={tf} value={tf}>
                {tf}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Bars">
          <input
            type="number"
            min={10}
            max={1_000_000}
            value={bars}
            onChange={(e) => setBars(e.target.valueAsNumber)}
            data-testid="generate-bars"
          />
        </Field>
        <Field label="Seed">
          <input
            type="number"
            min={0}
            value={seed}
            onChange={(e) => setSeed(e.target.valueAsNumber)}
            data-testid="generate-seed"
          />
        </Field>
      </div>
      <ErrorNotice error={error} testId="dataset-generate-error" />
      <button
        type="submit"
        className="cf-button"
        disabled={generate.isPending}
        data-testid="dataset-generate"
      >
        {generate.isPending ? 'Generating…' : 'Generate'}
      </button>
    </form>
  );
}

type DatasetRow = Awaited<ReturnType<typeof trpc.datasets.list.query>>[number];

function DatasetItem(props: {
  dataset: DatasetRow;
  canEdit: boolean;
  onError: (e: ServerErrorInfo) => void;
}) {
  const { dataset } = props;
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => trpc.datasets.delete.mutate({ id: dataset.id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['datasets'] }),
    onError: (e) => props.onError(describeServerError(e)),
  });
  return (
    <li className="cf-list-row" data-testid={`dataset-row-${dataset.id}`}>
      <div className="cf-list-main">
        <span className="cf-list-title">{dataset.name}</span>
        <span className="cf-muted cf-small">
          {dataset.symbol} · {dataset.timeframe} · {formatBars(dataset.bars)} bars ·{' '}
          {formatDate(dataset.firstTime)} → {formatDate(dataset.lastTime)} · {dataset.source.toLowerCase()}
        </span>
      </div>
      <div className="cf-list-actions">
        {props.canEdit ? (
          <ConfirmButton
            label="Delete"
            onConfirm={() => remove.mutate()}
            disabled={remove.isPending}
            testId={`dataset-delete-${dataset.id}`}
          />
        ) : null}
      </div>
    </li>
  );
}

export function DatasetsPage() {
  const canEdit = useCanEdit();
  const [actionError, setActionError] = useState<ServerErrorInfo | null>(null);
  const list = useQuery({ queryKey: DATASETS_KEY, queryFn: () => trpc.datasets.list.query({ limit: 200 }) });
  const listError = useServerError(list.error);
  return (
    <div className="cf-page">
      <h1>Datasets</h1>
      {canEdit ? (
        <div className="cf-grid-2 cf-grid--top">
          <UploadForm />
          <GenerateForm />
        </div>
      ) : null}
      <h2>Your datasets</h2>
      <ErrorNotice error={actionError} testId="dataset-action-error" />
      <ErrorNotice error={listError} testId="dataset-list-error" />
      {list.isPending ? <Spinner /> : null}
      {list.data?.length === 0 ? (
        <p className="cf-empty" data-testid="dataset-empty">
          No datasets yet{canEdit ? ': upload a CSV or generate demo data.' : '.'}
        </p>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul className="cf-list" data-testid="dataset-list">
          {list.data.map((dataset) => (
            <DatasetItem key={dataset.id} dataset={dataset} canEdit={canEdit} onError={setActionError} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
