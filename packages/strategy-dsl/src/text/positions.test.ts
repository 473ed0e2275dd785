// mergePositions: editing the text must not scramble the canvas.
import { describe, expect, it } from 'vitest';
import { type Graph, GraphSchema } from '../graph';
import { mergePositions, NEW_NODE_OFFSET } from './positions';

const graphOf = (nodes: [string, number, number][]): Graph =>
  GraphSchema.parse({
    schemaVersion: 1,
    name: 's',
    nodes: nodes.map(([id, x, y]) => ({ id, type: 'f', version: 1, position: { x, y } })),
  });

describe('mergePositions', () => {
  it('keeps the position of every node whose id survives the edit', () => {
    const previous = graphOf([
      ['a', 100, 50],
      ['b', 400, -30],
    ]);
    const parsed = graphOf([
      ['b', 0, 0],
      ['a', 0, 0],
    ]);

    const merged = mergePositions(previous, parsed);

    expect(merged.nodes.map((n) => [n.id, n.position])).toStrictEqual([
      ['b', { x: 400, y: -30 }],
      ['a', { x: 100, y: 50 }],
    ]);
  });

  it('places new nodes in a column right of every previous node, from the top one down', () => {
    const previous = graphOf([
      ['a', 100, 50],
      ['gone', 700, -30],
    ]);
    const parsed = graphOf([
      ['new1', 0, 0],
      ['a', 0, 0],
      ['new2', 0, 0],
    ]);

    const merged = mergePositions(previous, parsed);

    const column = 700 + NEW_NODE_OFFSET.x;
    expect(merged.nodes.map((n) => n.position)).toStrictEqual([
      { x: column, y: -30 },
      { x: 100, y: 50 },
      { x: column, y: -30 + NEW_NODE_OFFSET.y },
    ]);
  });

  it('starts at the origin when there was no previous node', () => {
    const merged = mergePositions(graphOf([]), graphOf([['a', 0, 0]]));

    expect(merged.nodes[0]?.position).toStrictEqual({ x: 0, y: 0 });
  });

  it('changes nothing but positions and leaves its inputs alone', () => {
    const previous = graphOf([['a', 5, 6]]);
    const parsed = { ...graphOf([['a', 0, 0]]), constraints: ['x < y'] };

    const merged = mergePositions(previous, parsed);

    expect(merged).toStrictEqual({ ...parsed, nodes: [{ ...parsed.nodes[0], position: { x: 5, y: 6 } }] });
    expect(parsed.nodes[0]?.position).toStrictEqual({ x: 0, y: 0 });
    expect(merged.nodes[0]?.position).not.toBe(previous.nodes[0]?.position);
  });
});
