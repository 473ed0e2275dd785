import { catalog } from '@candleflow/nodes';
import type { Graph } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { addNode } from './graph-ops';
import { canFeed, explainConnection, PORT_KIND_LABELS, PORT_KINDS, wouldCreateCycle } from './ports';
import { smallGraph } from './test-support/graphs';

function withConstant(g: Graph): Graph {
  return addNode(g, { type: 'constant', version: 1, params: { value: 3 }, position: { x: 0, y: 0 }, id: 'k' })
    .graph;
}

describe('canFeed', () => {
  it('allows identical kinds and scalar into number only', () => {
    for (const a of PORT_KINDS) {
      for (const b of PORT_KINDS) {
        expect(canFeed(a, b), `${a}->${b}`).toBe(a === b || (a === 'scalar' && b === 'number'));
      }
    }
  });

  it('has a legend label for every kind', () => {
    expect(Object.keys(PORT_KIND_LABELS).sort()).toEqual([...PORT_KINDS].sort());
  });
});

describe('explainConnection', () => {
  const g = smallGraph();
  const attempt = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
    explainConnection(g, catalog, { source, sourceHandle, target, targetHandle });

  it('allows a number output into a number input', () => {
    expect(attempt('candles', 'high', 'cross', 'b')).toBeNull();
  });

  it('allows a constant (scalar) into a number input', () => {
    const withK = withConstant(g);
    expect(
      explainConnection(withK, catalog, {
        source: 'k',
        sourceHandle: 'value',
        target: 'cross',
        targetHandle: 'b',
      }),
    ).toBeNull();
  });

  it('refuses a number into a boolean input, naming both kinds', () => {
    const reason = attempt('ema', 'value', 'long', 'when');
    expect(reason).toContain(PORT_KIND_LABELS.number);
    expect(reason).toContain(PORT_KIND_LABELS.boolean);
  });

  it('refuses a boolean or candles into a number input', () => {
    expect(attempt('cross', 'value', 'ema', 'source')).toMatch(/needs a number series/);
    expect(attempt('candles', 'candles', 'ema', 'source')).not.toBeNull();
  });

  it('refuses a wire that would close a loop', () => {
    // ema → sma exists, so sma → ema would loop.
    const g2 = addNode(g, {
      type: 'sma',
      version: 1,
      params: { period: 5 },
      position: { x: 0, y: 0 },
      id: 'sma',
    }).graph;
    const chained: Graph = {
      ...g2,
      edges: [...g2.edges, { source: 'ema', sourcePort: 'value', target: 'sma', targetPort: 'source' }],
    };
    const reason = explainConnection(chained, catalog, {
      source: 'sma',
      sourceHandle: 'value',
      target: 'ema',
      targetHandle: 'source',
    });
    expect(reason).toMatch(/loop/);
  });

  it('refuses self-connections, duplicates, unknown ports and incomplete drops', () => {
    expect(attempt('ema', 'value', 'ema', 'source')).toMatch(/itself/);
    expect(attempt('ema', 'value', 'cross', 'b')).toMatch(/already connected/);
    expect(attempt('ema', 'nope', 'cross', 'b')).toMatch(/output/);
    expect(explainConnection(g, catalog, { source: 'ema', target: null })).toMatch(/port/);
    expect(attempt('ghost', 'value', 'cross', 'b')).toMatch(/unknown type/);
  });
});

describe('wouldCreateCycle', () => {
  it('is true when the target already reaches the source', () => {
    const g = smallGraph();
    expect(wouldCreateCycle(g, 'order', 'candles')).toBe(true);
    expect(wouldCreateCycle(g, 'candles', 'order')).toBe(false);
    expect(wouldCreateCycle(g, 'ema', 'ema')).toBe(true);
  });
});
