// A strategy graph drawn as a small SVG, for template cards and strategy lists.
import { catalog as defaultCatalog } from '@candleflow/nodes';
import type { Graph, NodeCatalog } from '@candleflow/strategy-dsl';
import { useMemo } from 'react';
import { CATEGORY_COLOURS, type ThumbnailSize, thumbnailLayout } from './thumbnail';

export interface GraphThumbnailProps {
  readonly graph: Graph;
  readonly catalog?: NodeCatalog;
  readonly size?: ThumbnailSize;
  /** Accessible description; defaults to the strategy's name and node count. */
  readonly label?: string;
}

export function GraphThumbnail({ graph, catalog = defaultCatalog, size, label }: GraphThumbnailProps) {
  const layout = useMemo(() => thumbnailLayout(graph, catalog, size), [graph, catalog, size]);
  const radius = Math.max(1.5, (layout.boxes[0]?.height ?? 0) / 5);
  return (
    <svg
      className="cf-thumb"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="img"
      aria-label={label ?? `${graph.name}: ${graph.nodes.length} nodes, ${graph.edges.length} connections`}
    >
      <g className="cf-thumb-edges">
        {layout.lines.map((l) => (
          <line key={l.id} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} />
        ))}
      </g>
      <g className="cf-thumb-nodes">
        {layout.boxes.map((b) => (
          <rect
            key={b.id}
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            rx={radius}
            fill={CATEGORY_COLOURS[b.category]}
            data-category={b.category}
          >
            <title>{b.id}</title>
          </rect>
        ))}
      </g>
    </svg>
  );
}
