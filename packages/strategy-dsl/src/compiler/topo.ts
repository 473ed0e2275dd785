// Graph algorithms of the compiler: a stable topological order and the loops that prevent one.
// Both are O(V + E) (the order adds a log V heap), so 5,000-node graphs compile fast.

/** A binary min-heap of node indices: the ready node that came first in the graph runs first. */
class IndexHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }
  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! < items[left]! ? right : left;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

/**
 * Kahn's algorithm; among ready nodes the one with the lowest index goes first, so a graph already in
 * order keeps its order. Returns the order and, for nodes left over (in or behind a loop), nothing.
 */
export function stableTopologicalOrder(successors: readonly (readonly number[])[]): number[] {
  const count = successors.length;
  const indegree = new Int32Array(count);
  for (const next of successors) for (const target of next) indegree[target]!++;
  const heap = new IndexHeap();
  for (let i = 0; i < count; i++) if (indegree[i] === 0) heap.push(i);
  const order: number[] = [];
  while (heap.size > 0) {
    const node = heap.pop();
    order.push(node);
    for (const target of successors[node]!) if (--indegree[target]! === 0) heap.push(target);
  }
  return order;
}

/**
 * One loop per strongly connected component that has one (Tarjan, iterative), each as the list of nodes
 * along the loop starting from its lowest index. `within` limits the search to candidate nodes.
 */
export function findCycles(
  successors: readonly (readonly number[])[],
  within: readonly number[],
): number[][] {
  const count = successors.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const component = new Int32Array(count).fill(-1);
  const stack: number[] = [];
  const candidate = new Uint8Array(count);
  for (const node of within) candidate[node] = 1;
  let nextIndex = 0;
  let componentCount = 0;
  const cycles: number[][] = [];
  const frames: { node: number; edge: number }[] = [];

  for (const root of within) {
    if (index[root] !== -1) continue;
    frames.push({ node: root, edge: 0 });
    index[root] = low[root] = nextIndex++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const next = successors[frame.node]!;
      if (frame.edge < next.length) {
        const target = next[frame.edge++]!;
        if (!candidate[target]) continue;
        if (index[target] === -1) {
          index[target] = low[target] = nextIndex++;
          stack.push(target);
          onStack[target] = 1;
          frames.push({ node: target, edge: 0 });
        } else if (onStack[target]) {
          low[frame.node] = Math.min(low[frame.node]!, index[target]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] !== index[frame.node]) continue;
      const members: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = 0;
        component[member] = componentCount;
        members.push(member);
      } while (member !== frame.node);
      const id = componentCount++;
      const start = Math.min(...members);
      const selfLoop = successors[start]!.includes(start);
      if (members.length > 1 || selfLoop) cycles.push(walkLoop(successors, component, id, start));
    }
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/** Follows edges inside one component from `start` until a node repeats; the repeated stretch is a loop. */
function walkLoop(
  successors: readonly (readonly number[])[],
  component: Int32Array,
  id: number,
  start: number,
): number[] {
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node = start;
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    // Prefer the edge that closes the loop soonest; any edge inside the component keeps us in it.
    const next = successors[node]!;
    node = next.includes(start) ? start : next.find((target) => component[target] === id)!;
  }
  return path.slice(seenAt.get(node));
}
