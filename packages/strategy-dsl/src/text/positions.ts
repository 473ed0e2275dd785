// Carries canvas positions from the graph the code view started with to the graph parsed from the edited
// text, which has none (positions are not part of the text).
import type { Graph } from '../graph';

/** Horizontal and vertical spacing for nodes that are new in the text. */
export const NEW_NODE_OFFSET = { x: 240, y: 120 } as const;

/**
 * The parsed graph with each node at its previous position (matched by id). Nodes that are new in the text
 * go in a column to the right of every previous node, one below the other, so they never cover existing ones.
 */
export function mergePositions(previous: Graph, parsed: Graph): Graph {
  const positions = new Map(previous.nodes.map((node) => [node.id, node.position]));
  const xs = previous.nodes.map((node) => node.position.x);
  const ys = previous.nodes.map((node) => node.position.y);
  const column = xs.length > 0 ? Math.max(...xs) + NEW_NODE_OFFSET.x : 0;
  const top = ys.length > 0 ? Math.min(...ys) : 0;
  let added = 0;
  return {
    ...parsed,
    nodes: parsed.nodes.map((node) => {
      const kept = positions.get(node.id);
      const position = kept ? { ...kept } : { x: column, y: top + NEW_NODE_OFFSET.y * added++ };
      return { ...node, position };
    }),
  };
}
