// Lays a strategy graph out as a small picture: nodes as boxes at their canvas positions scaled to fit,
// edges as lines from output side to input side, boxes coloured by node category.
import type { Graph, NodeCatalog, NodeCategory } from '@candleflow/strategy-dsl';

export type ThumbnailCategory = NodeCategory | 'unknown';

/** Mid-tone colours that read on both the dark and the light theme. */
export const CATEGORY_COLOURS: Readonly<Record<ThumbnailCategory, string>> = {
  data: '#4c8dff',
  indicators: '#a371f7',
  math: '#8b949e',
  logic: '#d29922',
  signals: '#3fb950',
  sizing: '#db61a2',
  exits: '#f85149',
  orders: '#f0883e',
  unknown: '#6e7681',
};

/** A canvas node's size in flow units, roughly what the canvas draws. */
export const NODE_SIZE = { width: 180, height: 64 } as const;

export interface ThumbnailBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly category: ThumbnailCategory;
}

export interface ThumbnailLine {
  /** `source.port>target.port`, unique per edge. */
  readonly id: string;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface ThumbnailLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly ThumbnailBox[];
  readonly lines: readonly ThumbnailLine[];
}

export interface ThumbnailSize {
  readonly width: number;
  readonly height: number;
  readonly padding: number;
}

const DEFAULT_SIZE: ThumbnailSize = { width: 240, height: 140, padding: 8 };
/** A two-node strategy should not fill the card with two giant boxes. */
const MAX_SCALE = 0.35;

/**
 * Positions for a graph that has none (every node at 0,0, as parsed text leaves it): a column per depth
 * in the data flow, so a picture still reads left to right.
 */
export function fallbackPositions(graph: Graph): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  // Longest-path depth by relaxation; bounded by the node count, so a cycle cannot loop forever.
  for (let round = 0; round < graph.nodes.length; round++) {
    let changed = false;
    for (const e of graph.edges) {
      const from = depth.get(e.source);
      const to = depth.get(e.target);
      if (from === undefined || to === undefined || to > from) continue;
      depth.set(e.target, from + 1);
      changed = true;
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of graph.nodes) {
    const column = depth.get(n.id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(n.id, { x: column * (NODE_SIZE.width + 60), y: row * (NODE_SIZE.height + 40) });
  }
  return positions;
}

export function thumbnailLayout(
  graph: Graph,
  catalog: NodeCatalog,
  size: ThumbnailSize = DEFAULT_SIZE,
): ThumbnailLayout {
  if (graph.nodes.length === 0) return { width: size.width, height: size.height, boxes: [], lines: [] };
  const unplaced =
    graph.nodes.length > 1 && graph.nodes.every((n) => n.position.x === 0 && n.position.y === 0);
  const fallback = unplaced ? fallbackPositions(graph) : null;
  const at = (id: string, position: { x: number; y: number }) => fallback?.get(id) ?? position;

  const points = graph.nodes.map((n) => at(n.id, n.position));
  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  const spanX = Math.max(...points.map((p) => p.x)) - minX + NODE_SIZE.width;
  const spanY = Math.max(...points.map((p) => p.y)) - minY + NODE_SIZE.height;
  const innerW = size.width - 2 * size.padding;
  const innerH = size.height - 2 * size.padding;
  const scale = Math.min(innerW / spanX, innerH / spanY, MAX_SCALE);
  // Centre the drawing in the card.
  const offsetX = size.padding + (innerW - spanX * scale) / 2;
  const offsetY = size.padding + (innerH - spanY * scale) / 2;

  const boxes: ThumbnailBox[] = graph.nodes.map((n) => {
    const p = at(n.id, n.position);
    return {
      id: n.id,
      x: offsetX + (p.x - minX) * scale,
      y: offsetY + (p.y - minY) * scale,
      width: NODE_SIZE.width * scale,
      height: NODE_SIZE.height * scale,
      category: catalog.get(n.type, n.version)?.category ?? 'unknown',
    };
  });
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const lines: ThumbnailLine[] = [];
  for (const e of graph.edges) {
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    if (!source || !target) continue;
    lines.push({
      id: `${e.source}.${e.sourcePort}>${e.target}.${e.targetPort}`,
      x1: source.x + source.width,
      y1: source.y + source.height / 2,
      x2: target.x,
      y2: target.y + target.height / 2,
    });
  }
  return { width: size.width, height: size.height, boxes, lines };
}
