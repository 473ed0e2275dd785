import { catalog } from '@candleflow/nodes';
import { compile } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { bigGraph } from './big-graph';

describe('bigGraph', () => {
  it('makes exactly 300 nodes and 400 edges that compile without errors', () => {
    const graph = bigGraph({ nodes: 300, edges: 400 });

    const result = compile(graph, catalog);

    expect(graph.nodes).toHaveLength(300);
    expect(graph.edges).toHaveLength(400);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('gives every node its own id and position', () => {
    const graph = bigGraph({ nodes: 300, edges: 400 });

    const ids = new Set(graph.nodes.map((n) => n.id));
    const spots = new Set(graph.nodes.map((n) => `${n.position?.x},${n.position?.y}`));

    expect(ids.size).toBe(300);
    expect(spots.size).toBe(300);
  });

  it('hits other shapes too', () => {
    const graph = bigGraph({ nodes: 51, edges: 80 });

    expect([graph.nodes.length, graph.edges.length]).toEqual([51, 80]);
    expect(compile(graph, catalog).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses a shape it cannot make, saying what it can', () => {
    expect(() => bigGraph({ nodes: 300, edges: 1000 })).toThrow(/between 1.3 and 2 edges per node/);
  });
});
