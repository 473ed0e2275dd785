// Version history of the open strategy: list the saved versions, read one as DSL text, diff it against
// the working graph, and restore it as the working graph (an undoable edit, unsaved until saved).
import { type Graph, GraphSchema, printGraph } from '@candleflow/strategy-dsl';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { formatServerError, trpc } from '../api';
import { printGraphCached } from '../code/analyze';
import { useEditorActions, useEditorState } from '../editor/store';
import { type DiffLine, diffLines, diffStats } from './line-diff';
import './versions.css';

export interface VersionSummary {
  readonly id: string;
  readonly number: number;
  readonly contentHash: string;
  /** An ISO string over the wire (the API has no transformer); a Date from in-process callers. */
  readonly createdAt: Date | string;
}

export interface VersionDetail extends VersionSummary {
  readonly graph?: unknown;
  readonly dslText: string;
}

/** Where versions come from; the studio uses the tRPC API, tests pass their own. */
export interface VersionsApi {
  list(strategyId: string): Promise<readonly VersionSummary[]>;
  get(strategyId: string, number: number): Promise<VersionDetail>;
}

export const trpcVersionsApi: VersionsApi = {
  list: (strategyId) => trpc.versions.list.query({ strategyId }),
  get: (strategyId, number) => trpc.versions.get.query({ strategyId, number }),
};

export interface VersionHistoryProps {
  readonly api?: VersionsApi;
  /** Defaults to the editor store's strategy. */
  readonly strategyId?: string;
  /** Viewers can read and diff versions but not restore them. */
  readonly readOnly?: boolean;
}

/** A version's graph, checked, with its canonical text; a version that no longer parses says why. */
export function readVersion(
  version: VersionDetail,
): { ok: true; graph: Graph; text: string } | { ok: false; text: string; error: string } {
  const parsed = GraphSchema.safeParse(version.graph);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      text: version.dslText,
      error: `Version ${version.number} cannot be loaded into the editor: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'its graph is malformed'}. Its saved text is shown instead.`,
    };
  }
  return { ok: true, graph: parsed.data, text: printGraph(parsed.data) };
}

function when(createdAt: Date | string): string {
  const date = new Date(createdAt);
  return Number.isNaN(date.getTime()) ? String(createdAt) : date.toLocaleString();
}

const versionKey = (strategyId: string, number: number) => ['versions', strategyId, 'get', number] as const;

export function VersionHistory({ api = trpcVersionsApi, readOnly = false, ...props }: VersionHistoryProps) {
  const state = useEditorState();
  const { graph, savedVersion, dirty } = state;
  const strategyId = props.strategyId ?? state.strategyId;
  const actions = useEditorActions();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<number | null>(null);
  const [mode, setMode] = useState<'diff' | 'text'>('diff');
  const [notice, setNotice] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);

  // Saving makes a new version: the saved number in the key refetches the list.
  const list = useQuery({
    queryKey: ['versions', strategyId, 'list', savedVersion?.number ?? 0],
    queryFn: () => api.list(strategyId),
  });

  const fetchVersion = (number: number) =>
    queryClient.fetchQuery({
      queryKey: versionKey(strategyId, number),
      queryFn: () => api.get(strategyId, number),
      staleTime: Number.POSITIVE_INFINITY, // versions never change
    });

  const detail = useQuery({
    queryKey: versionKey(strategyId, selected ?? 0),
    queryFn: () => api.get(strategyId, selected!),
    enabled: selected !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });

  const version = useMemo(() => (detail.data ? readVersion(detail.data) : null), [detail.data]);
  // Printed only while a version is open: the panel re-renders on every canvas edit.
  const diff = useMemo(
    () => (version ? diffLines(version.text, printGraphCached(graph)) : null),
    [version, graph],
  );

  async function restore(number: number) {
    setNotice(null);
    try {
      const loaded = readVersion(await fetchVersion(number));
      if (!loaded.ok) {
        setNotice({ kind: 'error', text: loaded.error });
        return;
      }
      actions.replaceGraph(loaded.graph, 'restore');
      setNotice({
        kind: 'info',
        text: `Version ${number} is now the working graph. It is not saved until you save (undo brings back what you had).`,
      });
    } catch (error) {
      setNotice({ kind: 'error', text: `Could not load version ${number}: ${formatServerError(error)}` });
    }
  }

  return (
    <section className="cf-versions" aria-label="Version history">
      <header className="cf-versions-header">
        <h2>Versions</h2>
        {dirty && <span className="cf-versions-unsaved">working graph has unsaved changes</span>}
      </header>
      {notice && (
        <p
          className={`cf-versions-notice cf-versions-notice-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.text}
        </p>
      )}
      {list.isPending && <p className="cf-versions-empty">Loading versions…</p>}
      {list.isError && (
        <p className="cf-versions-notice cf-versions-notice-error" role="alert">
          Could not list versions: {formatServerError(list.error)}
        </p>
      )}
      {list.data && list.data.length === 0 && (
        <p className="cf-versions-empty">No saved versions yet. Save to create version 1.</p>
      )}
      {list.data && list.data.length > 0 && (
        <ol className="cf-versions-list">
          {list.data.map((v) => (
            <li key={v.id} className={v.number === selected ? 'cf-versions-selected' : undefined}>
              <button
                type="button"
                className="cf-versions-pick"
                data-testid={`version-${v.number}`}
                aria-pressed={v.number === selected}
                onClick={() => setSelected(v.number)}
              >
                <strong>v{v.number}</strong>
                {v.number === savedVersion?.number && <span className="cf-versions-badge">loaded</span>}
                <span className="cf-versions-meta">
                  {when(v.createdAt)} · {v.contentHash.slice(0, 8)}
                </span>
              </button>
              {!readOnly && (
                <button
                  type="button"
                  data-testid={`version-restore-${v.number}`}
                  onClick={() => void restore(v.number)}
                >
                  Restore
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {selected !== null && (
        <div className="cf-versions-detail">
          <div className="cf-versions-tabs" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'diff'}
              data-testid="version-mode-diff"
              onClick={() => setMode('diff')}
            >
              Diff with working graph
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'text'}
              data-testid="version-mode-text"
              onClick={() => setMode('text')}
            >
              Text of v{selected}
            </button>
          </div>
          {detail.isPending && <p className="cf-versions-empty">Loading version {selected}…</p>}
          {detail.isError && (
            <p className="cf-versions-notice cf-versions-notice-error" role="alert">
              Could not load version {selected}: {formatServerError(detail.error)}
            </p>
          )}
          {version && !version.ok && (
            <p className="cf-versions-notice cf-versions-notice-error">{version.error}</p>
          )}
          {version && mode === 'text' && (
            <pre className="cf-versions-text" data-testid="version-text">
              {version.text}
            </pre>
          )}
          {diff && mode === 'diff' && <DiffView lines={diff} from={selected} />}
        </div>
      )}
    </section>
  );
}

const MARK: Record<DiffLine['op'], string> = { same: ' ', added: '+', removed: '−' };

function DiffView({ lines, from }: { lines: readonly DiffLine[]; from: number }) {
  const stats = diffStats(lines);
  if (stats.added === 0 && stats.removed === 0) {
    return (
      <p className="cf-versions-empty" data-testid="version-diff">
        The working graph reads the same as v{from} (positions aside).
      </p>
    );
  }
  return (
    <div data-testid="version-diff">
      <p className="cf-versions-stats">
        v{from} → working graph: <span className="cf-diff-added">+{stats.added}</span>{' '}
        <span className="cf-diff-removed">−{stats.removed}</span>
      </p>
      <pre className="cf-versions-diff">
        {lines.map((line) => (
          <div
            key={`${line.oldLine ?? ''}:${line.newLine ?? ''}`}
            className={`cf-diff-line cf-diff-${line.op}`}
            data-op={line.op}
          >
            <span className="cf-diff-number">{line.oldLine ?? ''}</span>
            <span className="cf-diff-number">{line.newLine ?? ''}</span>
            <span className="cf-diff-mark">{MARK[line.op]}</span>
            <span className="cf-diff-text">{line.text}</span>
          </div>
        ))}
      </pre>
    </div>
  );
}
