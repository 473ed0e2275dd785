import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCycles, stableTopologicalOrder } from './topo';

/** Random DAGs: edges only go from a lower to a higher index, shuffled into a random node numbering. */
const dagArbitrary = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 80 }),
      permutation: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    }),
  )
  .map(({ n, edges, permutation }) => {
    const successors: number[][] = Array.from({ length: n }, () => []);
    for (const [a, b] of edges) if (a < b) successors[permutation[a]!]!.push(permutation[b]!);
    return successors;
  });

describe('stableTopologicalOrder', () => {
  it('places every node after all its predecessors, each node once', () => {
    fc.assert(
      fc.property(dagArbitrary, (successors) => {
        const order = stableTopologicalOrder(successors);
        const position = new Map(order.map((node, i) => [node, i]));
        expect(order).toHaveLength(successors.length);
        successors.forEach((targets, source) => {
          for (const target of targets) expect(position.get(source)!).toBeLessThan(position.get(target)!);
        });
      }),
    );
  });

  it('always runs the lowest-numbered ready node first', () => {
    // 3 → 0, and 1, 2 free: 1 and 2 and 3 are ready at once; 0 only after 3.
    expect(stableTopologicalOrder([[], [], [], [0]])).toEqual([1, 2, 3, 0]);
    expect(stableTopologicalOrder([[2], [2], [], []])).toEqual([0, 1, 2, 3]);
  });

  it('leaves out the nodes in or behind a loop', () => {
    expect(stableTopologicalOrder([[1], [0], [3], []]).sort()).toEqual([2, 3]);
  });
});

describe('findCycles', () => {
  it('finds no loop in any DAG', () => {
    fc.assert(
      fc.property(dagArbitrary, (successors) => {
        expect(findCycles(successors, [...successors.keys()])).toEqual([]);
      }),
    );
  });

  it('returns each loop as a walk along its edges', () => {
    // 0 → 1 → 2 → 0 with a chord 1 → 0, a self-loop on 4, and 5 downstream of the first loop.
    const successors = [[1], [2, 0], [0, 5], [], [4], []];

    const cycles = findCycles(successors, [0, 1, 2, 4, 5]);

    expect(cycles).toEqual([[0, 1], [4]]);
    for (const loop of cycles) {
      loop.forEach((node, i) => {
        expect(successors[node]).toContain(loop[(i + 1) % loop.length]);
      });
    }
  });
});
