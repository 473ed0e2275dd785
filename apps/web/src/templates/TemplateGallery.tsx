// "Start from a template": the example strategies as cards with a picture of their graph; choosing one
// creates a strategy from it on the server and hands its id to the caller (which opens the editor).
import { useMutation, useQuery } from '@tanstack/react-query';
import { formatServerError } from '../api';
import { GraphThumbnail } from './GraphThumbnail';
import { bundledTemplatesApi, type TemplatesApi } from './templates-source';
import './templates.css';

export interface TemplateGalleryProps {
  readonly onCreated: (strategyId: string) => void;
  readonly api?: TemplatesApi;
  /** Viewers may look but not create. */
  readonly disabled?: boolean;
}

export function TemplateGallery({
  onCreated,
  api = bundledTemplatesApi,
  disabled = false,
}: TemplateGalleryProps) {
  const templates = useQuery({
    queryKey: ['templates'],
    queryFn: () => api.list(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const create = useMutation({
    mutationFn: (name: string) => api.create(name),
    onSuccess: (id) => onCreated(id),
  });

  if (templates.isPending) return <p className="cf-templates-empty">Loading templates…</p>;
  if (templates.isError) {
    return (
      <p className="cf-templates-error" role="alert">
        Could not load templates: {formatServerError(templates.error)}
      </p>
    );
  }
  return (
    <section className="cf-templates" aria-label="Templates">
      {create.isError && (
        <p className="cf-templates-error" role="alert">
          Could not create a strategy from “{create.variables}”: {formatServerError(create.error)}
        </p>
      )}
      {templates.data.length === 0 && <p className="cf-templates-empty">No templates are available.</p>}
      <ul className="cf-templates-grid">
        {templates.data.map((t) => (
          <li key={t.name}>
            <button
              type="button"
              className="cf-template-card"
              data-testid={`template-${t.name}`}
              disabled={disabled || create.isPending}
              aria-busy={create.isPending && create.variables === t.name}
              onClick={() => create.mutate(t.name)}
            >
              <GraphThumbnail graph={t.graph} />
              <strong className="cf-template-name">{t.graph.name}</strong>
              {t.graph.description && <span className="cf-template-description">{t.graph.description}</span>}
              <span className="cf-template-meta">
                {create.isPending && create.variables === t.name
                  ? 'Creating…'
                  : `${t.graph.nodes.length} nodes · ${t.graph.params.length} parameters`}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
