// The home page: the user's strategies (and public ones), with create (blank or from a template),
// rename, duplicate, delete, import from a JSON file and export to one. Viewers only look.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, Suspense, useRef, useState } from 'react';
import { trpc } from '../api/client';
import { describeServerError, type ServerErrorInfo, useServerError } from '../api/errors';
import { useCanEdit } from '../api/hooks';
import { TemplateGallery } from './lazy-pages';
import { navigate, pathFor } from './router';
import { downloadText, readFileText } from './upload';
import { ConfirmButton, ErrorNotice, formatDate, Link, Spinner } from './ui';

export type Scope = 'all' | 'mine' | 'public';
const strategiesKey = (scope: Scope) => ['strategies', 'list', scope] as const;

/**
 * The smallest graph the server accepts (it compiles every saved version, and a strategy with no
 * order node does not compile): price crossing its 20-bar SMA opens a long. Delete what you
 * do not need on the canvas.
 */
export function starterGraph(name: string) {
  const node = (id: string, type: string, x: number, params: Record<string, unknown> = {}) => ({
    id,
    type,
    version: 1,
    params,
    position: { x, y: 0 },
  });
  return {
    schemaVersion: 1,
    name,
    nodes: [
      node('candles', 'candles', 0, { symbol: 'BTC/USDT', timeframe: '1h' }),
      node('sma', 'sma', 260, { period: 20 }),
      node('cross_up', 'crosses_above', 520),
      node('go_long', 'enter_long', 780),
      node('entry', 'market_order', 1040),
    ],
    edges: [
      { source: 'candles', sourcePort: 'close', target: 'sma', targetPort: 'source' },
      { source: 'candles', sourcePort: 'close', target: 'cross_up', targetPort: 'a' },
      { source: 'sma', sourcePort: 'value', target: 'cross_up', targetPort: 'b' },
      { source: 'cross_up', sourcePort: 'value', target: 'go_long', targetPort: 'when' },
      { source: 'go_long', sourcePort: 'signal', target: 'entry', targetPort: 'signal' },
    ],
  };
}

function useInvalidateStrategies() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['strategies'] });
}

function NewStrategyPanel(props: { onClose: () => void }) {
  const [name, setName] = useState('');
  const invalidate = useInvalidateStrategies();
  const create = useMutation({
    mutationFn: (strategyName: string) =>
      trpc.strategies.create.mutate({ name: strategyName, graph: starterGraph(strategyName) }),
    onSuccess: async (created) => {
      await invalidate();
      navigate(pathFor({ name: 'editor', strategyId: created.strategy.id }));
    },
  });
  const error = useServerError(create.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim() || 'Untitled strategy');
  };
  return (
    <section className="cf-card cf-new-strategy" data-testid="new-strategy-panel" aria-label="New strategy">
      <div className="cf-row cf-row--between">
        <h2>New strategy</h2>
        <button
          type="button"
          className="cf-button cf-button--quiet"
          onClick={props.onClose}
          data-testid="new-strategy-close"
        >
          Close
        </button>
      </div>
      <form className="cf-row cf-row--wrap" onSubmit={onSubmit}>
        <input
          aria-label="Name"
          placeholder="Name (e.g. My EMA cross)"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="new-strategy-name"
        />
        <button
          type="submit"
          className="cf-button cf-button--primary"
          disabled={create.isPending}
          data-testid="new-blank"
        >
          {create.isPending ? 'Creating…' : 'Start from a simple starter'}
        </button>
      </form>
      <p className="cf-muted">The starter is price crossing its 20-bar average; or pick a template:</p>
      <ErrorNotice error={error} testId="new-strategy-error" />
      <Suspense fallback={<Spinner label="Loading templates…" />}>
        <TemplateGallery
          onCreated={(strategyId) => {
            void invalidate();
            navigate(pathFor({ name: 'editor', strategyId }));
          }}
        />
      </Suspense>
    </section>
  );
}

type Summary = Awaited<ReturnType<typeof trpc.strategies.list.query>>[number];

function RenameForm(props: { strategy: Summary; onDone: () => void; onError: (e: ServerErrorInfo) => void }) {
  const [name, setName] = useState(props.strategy.name);
  const invalidate = useInvalidateStrategies();
  const rename = useMutation({
    mutationFn: () => trpc.strategies.rename.mutate({ id: props.strategy.id, name: name.trim() }),
    onSuccess: async () => {
      await invalidate();
      props.onDone();
    },
    onError: (e) => props.onError(describeServerError(e)),
  });
  return (
    <form
      className="cf-row"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate();
      }}
    >
      <input
        aria-label="New name"
        value={name}
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to rename
        autoFocus
        onChange={(e) => setName(e.target.value)}
        data-testid={`strategy-rename-input-${props.strategy.id}`}
      />
      <button
        type="submit"
        className="cf-button cf-button--primary"
        disabled={rename.isPending}
        data-testid={`strategy-rename-save-${props.strategy.id}`}
      >
        Save
      </button>
      <button type="button" className="cf-button" onClick={props.onDone}>
        Cancel
      </button>
    </form>
  );
}

function StrategyRow(props: {
  strategy: Summary;
  canEdit: boolean;
  onError: (e: ServerErrorInfo | null) => void;
}) {
  const { strategy, canEdit } = props;
  const [renaming, setRenaming] = useState(false);
  const invalidate = useInvalidateStrategies();
  const onError = (e: unknown) => props.onError(describeServerError(e));
  const duplicate = useMutation({
    mutationFn: () => trpc.strategies.duplicate.mutate({ id: strategy.id }),
    onSuccess: () => invalidate(),
    onError,
  });
  const remove = useMutation({
    mutationFn: () => trpc.strategies.delete.mutate({ id: strategy.id }),
    onSuccess: () => invalidate(),
    onError,
  });
  const exportJson = useMutation({
    mutationFn: () => trpc.strategies.exportJson.query({ id: strategy.id }),
    onSuccess: (file) => downloadText(file.fileName, file.json),
    onError,
  });
  const owned = strategy.mine && canEdit;

  return (
    <li className="cf-list-row" data-testid={`strategy-row-${strategy.id}`}>
      <div className="cf-list-main">
        {renaming ? (
          <RenameForm strategy={strategy} onDone={() => setRenaming(false)} onError={props.onError} />
        ) : (
          <Link
            to={pathFor({ name: 'editor', strategyId: strategy.id })}
            className="cf-list-title"
            testId={`strategy-open-${strategy.id}`}
          >
            {strategy.name}
          </Link>
        )}
        <span className="cf-muted cf-small">
          {strategy.latestVersion ? `v${strategy.latestVersion}` : 'no versions'} · updated{' '}
          {formatDate(strategy.updatedAt)}
          {strategy.visibility === 'PUBLIC' ? ' · public' : ''}
          {strategy.mine ? '' : ' · shared with you'}
        </span>
        {strategy.description ? (
          <span className="cf-muted cf-small cf-clamp">{strategy.description}</span>
        ) : null}
      </div>
      <div className="cf-list-actions">
        {owned && !renaming ? (
          <button
            type="button"
            className="cf-button cf-button--quiet"
            onClick={() => setRenaming(true)}
            data-testid={`strategy-rename-${strategy.id}`}
          >
            Rename
          </button>
        ) : null}
        {canEdit ? (
          <button
            type="button"
            className="cf-button cf-button--quiet"
            disabled={duplicate.isPending}
            onClick={() => duplicate.mutate()}
            data-testid={`strategy-duplicate-${strategy.id}`}
          >
            {strategy.mine ? 'Duplicate' : 'Fork'}
          </button>
        ) : null}
        <button
          type="button"
          className="cf-button cf-button--quiet"
          disabled={exportJson.isPending}
          onClick={() => exportJson.mutate()}
          data-testid={`strategy-export-${strategy.id}`}
        >
          Export JSON
        </button>
        {owned ? (
          <ConfirmButton
            label="Delete"
            onConfirm={() => remove.mutate()}
            disabled={remove.isPending}
            testId={`strategy-delete-${strategy.id}`}
          />
        ) : null}
      </div>
    </li>
  );
}

function ImportButton(props: { onError: (e: ServerErrorInfo | null) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const invalidate = useInvalidateStrategies();
  const importJson = useMutation({
    mutationFn: async (file: File) => trpc.strategies.importJson.mutate({ json: await readFileText(file) }),
    onSuccess: async (created) => {
      props.onError(null);
      await invalidate();
      navigate(pathFor({ name: 'editor', strategyId: created.strategy.id }));
    },
    onError: (e) => props.onError(describeServerError(e)),
  });
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Reset so choosing the same file again (after fixing it) fires change again.
    event.target.value = '';
    if (file) importJson.mutate(file);
  };
  return (
    <>
      <button
        type="button"
        className="cf-button"
        disabled={importJson.isPending}
        onClick={() => input.current?.click()}
        data-testid="strategy-import"
      >
        {importJson.isPending ? 'Importing…' : 'Import JSON'}
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        onChange={onChange}
        data-testid="strategy-import-file"
      />
    </>
  );
}

export function StrategiesPage() {
  const canEdit = useCanEdit();
  const [scope, setScope] = useState<Scope>('all');
  const [creating, setCreating] = useState(false);
  const [actionError, setActionError] = useState<ServerErrorInfo | null>(null);
  const list = useQuery({
    queryKey: strategiesKey(scope),
    queryFn: () => trpc.strategies.list.query({ scope }),
  });
  const listError = useServerError(list.error);

  return (
    <div className="cf-page">
      <div className="cf-row cf-row--between cf-row--wrap">
        <h1>Strategies</h1>
        <div className="cf-row cf-row--wrap">
          <select
            aria-label="Show"
            value={scope}
            onChange={(e) => setScope(e.target.value as Scope)}
            data-testid="strategy-scope"
          >
            <option value="all">All I can see</option>
            <option value="mine">Mine</option>
            <option value="public">Public</option>
          </select>
          {canEdit ? <ImportButton onError={setActionError} /> : null}
          {canEdit ? (
            <button
              type="button"
              className="cf-button cf-button--primary"
              onClick={() => setCreating(true)}
              data-testid="new-strategy"
            >
              New strategy
            </button>
          ) : null}
        </div>
      </div>
      {!canEdit ? (
        <p className="cf-notice" data-testid="viewer-notice">
          You have read-only access: you can open and export strategies but not change or run them.
        </p>
      ) : null}
      {creating && canEdit ? <NewStrategyPanel onClose={() => setCreating(false)} /> : null}
      <ErrorNotice error={actionError} testId="strategy-action-error" />
      <ErrorNotice error={listError} testId="strategy-list-error" />
      {list.isPending ? <Spinner /> : null}
      {list.data && list.data.length === 0 ? (
        <div className="cf-empty" data-testid="strategy-empty">
          <p>No strategies yet.</p>
          {canEdit ? <p>Create one from a template or import a JSON file.</p> : null}
        </div>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul className="cf-list" data-testid="strategy-list">
          {list.data.map((strategy) => (
            <StrategyRow key={strategy.id} strategy={strategy} canEdit={canEdit} onError={setActionError} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
