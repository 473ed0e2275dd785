import { catalog } from '@candleflow/nodes';
import type { Graph } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { exampleGraph, exampleNames } from '../code/test-support/examples';
import { fallbackPositions, NODE_SIZE, thumbnailLayout } from './thumbnail';

const size = { width: 240, height: 140, padding: 8 };

describe('thumbnailLayout', () => {
  it('fits every node of every example inside the picture, padding included', () => {
    for (const name of exampleNames()) {
      const layout = thumbnailLayout(exampleGraph(name), catalog, size);
      for (const b of layout.boxes) {
        expect(b.x, `${name} ${b.id}`).toBeGreaterThanOrEqual(size.padding - 1e-9);
        expect(b.y, `${name} ${b.id}`).toBeGreaterThanOrEqual(size.padding - 1e-9);
        expect(b.x + b.width, `${name} ${b.id}`).toBeLessThanOrEqual(size.width - size.padding + 1e-9);
        expect(b.y + b.height, `${name} ${b.id}`).toBeLessThanOrEqual(size.height - size.padding + 1e-9);
      }
    }
  });

  it('keeps the canvas arrangement: one scale for both axes', () => {
    const graph = exampleGraph('ema-cross');
    const layout = thumbnailLayout(graph, catalog, size);
    const [a, b] = [
      graph.nodes[0]!,
      graph.nodes.find(
        (n) => n.position.x !== graph.nodes[0]!.position.x && n.position.y !== graph.nodes[0]!.position.y,
      )!,
    ];
    const [ba, bb] = [layout.boxes.find((x) => x.id === a.id)!, layout.boxes.find((x) => x.id === b.id)!];

    const scaleX = (bb.x - ba.x) / (b.position.x - a.position.x);
    const scaleY = (bb.y - ba.y) / (b.position.y - a.position.y);
    expect(scaleX).toBeCloseTo(scaleY, 9);
    expect(ba.width / NODE_SIZE.width).toBeCloseTo(scaleX, 9);
  });

  it('draws one line per edge from the source box’s right side to the target box’s left side', () => {
    const graph = exampleGraph('ema-cross');
    const layout = thumbnailLayout(graph, catalog, size);

    expect(layout.lines).toHaveLength(graph.edges.length);
    graph.edges.forEach((e, i) => {
      const source = layout.boxes.find((b) => b.id === e.source)!;
      const target = layout.boxes.find((b) => b.id === e.target)!;
      expect(layout.lines[i]).toMatchObject({ x1: source.x + source.width, x2: target.x });
    });
  });

  it('colours boxes by the node’s category and marks unknown types', () => {
    const graph = exampleGraph('ema-cross');
    const withUnknown: Graph = {
      ...graph,
      nodes: [
        ...graph.nodes,
        { id: 'mystery', type: 'no_such_node', version: 1, params: {}, position: { x: 5, y: 5 } },
      ],
    };

    const layout = thumbnailLayout(withUnknown, catalog, size);

    for (const n of graph.nodes) {
      expect(layout.boxes.find((b) => b.id === n.id)?.category).toBe(
        catalog.get(n.type, n.version)?.category,
      );
    }
    expect(layout.boxes.find((b) => b.id === 'mystery')?.category).toBe('unknown');
  });

  it('lays out a graph without positions left to right along its edges', () => {
    const graph = exampleGraph('ema-cross');
    const unplaced: Graph = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) };

    const layout = thumbnailLayout(unplaced, catalog, size);

    const box = (id: string) => layout.boxes.find((b) => b.id === id)!;
    for (const e of unplaced.edges)
      expect(box(e.source).x, `${e.source} → ${e.target}`).toBeLessThan(box(e.target).x);
    const corners = new Set(layout.boxes.map((b) => `${b.x},${b.y}`));
    expect(corners.size).toBe(layout.boxes.length);
  });

  it('draws an empty graph as an empty picture', () => {
    const graph: Graph = { ...exampleGraph('ema-cross'), nodes: [], edges: [] };

    const layout = thumbnailLayout(graph, catalog, size);

    expect(layout).toMatchObject({ width: size.width, height: size.height, boxes: [], lines: [] });
  });
});

describe('fallbackPositions', () => {
  it('stops on a cycle instead of looping', () => {
    const graph: Graph = {
      ...exampleGraph('ema-cross'),
      nodes: ['a', 'b'].map((id) => ({ id, type: 'ema', version: 1, params: {}, position: { x: 0, y: 0 } })),
      edges: [
        { source: 'a', sourcePort: 'value', target: 'b', targetPort: 'source' },
        { source: 'b', sourcePort: 'value', target: 'a', targetPort: 'source' },
      ],
    };

    expect(fallbackPositions(graph).size).toBe(2);
  });
});
