import { IDENTIFIER } from '@candleflow/strategy-dsl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addNode,
  connect,
  copyNodes,
  edgeId,
  graphsEqual,
  moveNodes,
  pasteNodes,
  removeEdges,
  semanticsChanged,
  setNodeParams,
  uniqueNodeId,
} from './graph-ops';
import { smallGraph } from './test-support/graphs';

describe('uniqueNodeId', () => {
  it('uses the base when free, then _2, _3', () => {
    expect(uniqueNodeId('ema', new Set())).toBe('ema');
    expect(uniqueNodeId('ema', new Set(['ema']))).toBe('ema_2');
    expect(uniqueNodeId('ema', new Set(['ema', 'ema_2']))).toBe('ema_3');
  });

  it('drops a numeric suffix before counting, so copies of ema_2 are ema_3', () => {
    expect(uniqueNodeId('ema_2', new Set(['ema', 'ema_2']))).toBe('ema_3');
  });

  it('always returns a new identifier of at most 64 characters', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string({ maxLength: 70 })), (base, taken) => {
        const set = new Set(taken);
        const id = uniqueNodeId(base, set);
        return IDENTIFIER.test(id) && id.length <= 64 && !set.has(id);
      }),
    );
  });
});

describe('graph edits', () => {
  it('keeps untouched nodes by reference when moving one', () => {
    const g = smallGraph();
    const moved = moveNodes(g, new Map([['ema', { x: 1, y: 2 }]]));
    expect(moved.nodes[0]).toBe(g.nodes[0]);
    expect(moved.nodes[1]?.position).toEqual({ x: 1, y: 2 });
    expect(moveNodes(g, new Map([['ema', { x: 200, y: 0 }]]))).toBe(g);
  });

  it('tells a position-only change from one the compiler sees', () => {
    const g = smallGraph();
    expect(semanticsChanged(g, moveNodes(g, new Map([['ema', { x: 1, y: 2 }]])))).toBe(false);
    expect(semanticsChanged(g, setNodeParams(g, 'ema', { period: 3 }))).toBe(true);
    expect(semanticsChanged(g, removeEdges(g, new Set([edgeId(g.edges[0] as never)])))).toBe(true);
    expect(
      semanticsChanged(
        g,
        addNode(g, { type: 'sma', version: 1, params: {}, position: { x: 0, y: 0 } }).graph,
      ),
    ).toBe(true);
    expect(semanticsChanged(g, { ...g, name: 'renamed' })).toBe(true);
  });

  it('refuses params for an unknown node with its id in the message', () => {
    expect(() => setNodeParams(smallGraph(), 'ghost', {})).toThrow(/ghost/);
  });

  it('adds a multiple input edge beside the existing one', () => {
    const g = smallGraph();
    const a = connect(g, { source: 'candles', sourcePort: 'open', target: 'cross', targetPort: 'b' }, true);
    expect(a.edges.filter((e) => e.target === 'cross' && e.targetPort === 'b')).toHaveLength(2);
    expect(
      connect(a, { source: 'candles', sourcePort: 'open', target: 'cross', targetPort: 'b' }, true),
    ).toBe(a);
  });

  it('pastes a clipboard into another graph without id clashes', () => {
    const source = smallGraph();
    const clip = copyNodes(source, new Set(['ema', 'cross']));
    const { graph, ids } = pasteNodes(source, clip, { x: 10, y: 0 });
    expect(ids).toEqual(['ema_2', 'cross_2']);
    expect(graph.edges).toContainEqual({
      source: 'ema_2',
      sourcePort: 'value',
      target: 'cross_2',
      targetPort: 'b',
    });
  });

  it('compares graphs by value, ignoring key order', () => {
    const g = smallGraph();
    const reordered = JSON.parse(JSON.stringify({ ...g, name: g.name, schemaVersion: g.schemaVersion }));
    expect(graphsEqual(g, reordered)).toBe(true);
    expect(graphsEqual(g, setNodeParams(g, 'ema', { period: 21 }))).toBe(false);
  });
});
