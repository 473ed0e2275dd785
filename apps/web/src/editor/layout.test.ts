import { describe, expect, it } from 'vitest';
import { autoLayout, DEFAULT_NODE_SIZE, layoutPositions } from './layout';
import { exampleGraph, smallGraph } from './test-support/graphs';

describe('layout', () => {
  it('places every node left of the nodes it feeds', () => {
    const g = exampleGraph('ema-cross');
    const laid = autoLayout(g);
    const x = new Map(laid.nodes.map((n) => [n.id, n.position.x]));
    for (const e of g.edges) expect(x.get(e.source) as number).toBeLessThan(x.get(e.target) as number);
  });

  it('keeps nodes from overlapping, using the measured sizes', () => {
    const g = smallGraph();
    const sizes = new Map(g.nodes.map((n) => [n.id, { width: 300, height: 120 }]));
    const p = [...layoutPositions(g, sizes).values()].sort((a, b) => a.x - b.x);
    for (let i = 1; i < p.length; i++)
      expect((p[i]?.x ?? 0) - (p[i - 1]?.x ?? 0)).toBeGreaterThanOrEqual(300);
    expect(DEFAULT_NODE_SIZE.width).toBeGreaterThan(0);
  });
});
