import { catalog } from '@candleflow/nodes';
import { describe, expect, it } from 'vitest';
import { diagnosticsByNode } from './diagnostics';
import { reconcileEdges, reconcileNodes } from './flow-model';
import { moveNodes, setNodeParams } from './graph-ops';
import { smallGraph } from './test-support/graphs';

const none = new Map();
const noSel = new Set<string>();

describe('reconcileNodes', () => {
  it('returns the same array when nothing changed', () => {
    const g = smallGraph();
    const first = reconcileNodes([], g, catalog, none, noSel, false);
    expect(reconcileNodes(first, g, catalog, none, noSel, false)).toBe(first);
  });

  it('replaces only the node whose params changed and keeps measured sizes', () => {
    const g = smallGraph();
    const first = reconcileNodes([], g, catalog, none, noSel, false).map((n) => ({
      ...n,
      measured: { width: 10, height: 20 },
    }));
    const next = reconcileNodes(first, setNodeParams(g, 'ema', { period: 5 }), catalog, none, noSel, false);
    expect(next[0]).toBe(first[0]);
    expect(next[1]).not.toBe(first[1]);
    expect(next[1]?.measured).toEqual({ width: 10, height: 20 });
    expect(next[1]?.data.definition?.type).toBe('ema');
  });

  it('keeps the live position of a node being dragged', () => {
    const g = smallGraph();
    const first = reconcileNodes([], g, catalog, none, noSel, false);
    const dragging = first.map((n) =>
      n.id === 'ema' ? { ...n, dragging: true, position: { x: 999, y: 9 } } : n,
    );
    const next = reconcileNodes(
      dragging,
      g,
      catalog,
      diagnosticsByNode([{ code: 'CYCLE', severity: 'error', message: 'x', nodeId: 'ema' }]),
      noSel,
      false,
    );
    expect(next[1]?.position).toEqual({ x: 999, y: 9 });
    expect(next[1]?.data.diagnostics?.errors).toBe(1);
  });

  it('follows the store selection and store positions', () => {
    const g = moveNodes(smallGraph(), new Map([['cross', { x: 7, y: 7 }]]));
    const next = reconcileNodes([], g, catalog, none, new Set(['cross']), true);
    expect(next.find((n) => n.id === 'cross')).toMatchObject({
      selected: true,
      position: { x: 7, y: 7 },
      data: { readOnly: true },
    });
  });
});

describe('reconcileEdges', () => {
  it('colours edges by the source port kind and marks edges into an erroneous port', () => {
    const g = smallGraph();
    const edges = reconcileEdges(
      [],
      g,
      catalog,
      diagnosticsByNode([
        { code: 'TYPE_MISMATCH', severity: 'error', message: 'x', nodeId: 'long', port: 'when' },
      ]),
    );
    expect(edges.find((e) => e.target === 'long')?.className).toBe('cf-edge kind-boolean cf-edge-error');
    expect(edges.find((e) => e.target === 'order')?.className).toBe('cf-edge kind-signal');
  });

  it('keeps selection and identity of unchanged edges', () => {
    const g = smallGraph();
    const first = reconcileEdges([], g, catalog, none).map((e, i) =>
      i === 0 ? { ...e, selected: true } : e,
    );
    const same = reconcileEdges(first, g, catalog, none);
    expect(same).toBe(first);
    const fewer = reconcileEdges(first, { ...g, edges: g.edges.slice(0, 2) }, catalog, none);
    expect(fewer[0]).toBe(first[0]);
    expect(fewer).toHaveLength(2);
  });
});
