// Rebuilds examples/*.json (the canvas form) from examples/*.cf (the DSL text), laying nodes out by depth,
// and rewrites the text in canonical form.
// Run: node --import tsx tools/build-examples.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '@candleflow/nodes';
import { formatDiagnostic, type Graph, parseText, printGraph } from '@candleflow/strategy-dsl';

const dir = join(import.meta.dirname, '..', 'examples');

/** Columns by longest path from a source, rows in statement order, each node as tall as its ports need:
 * readable without an auto-layout library. */
function layout(graph: Graph): Graph {
  const depth = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const e of graph.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map((s) => visit(s, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const nextY = new Map<number, number>();
  const nodes = graph.nodes.map((node) => {
    const column = visit(node.id, new Set());
    const definition = catalog.get(node.type, node.version);
    const ports = Math.max(definition?.inputs.length ?? 1, definition?.outputs.length ?? 1);
    const y = nextY.get(column) ?? 0;
    nextY.set(column, y + 110 + 24 * ports);
    return { ...node, position: { x: column * 260, y } };
  });
  return { ...graph, nodes };
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.cf'))) {
  const parsed = parseText(readFileSync(join(dir, file), 'utf8'));
  if (!parsed.ok) {
    console.error(`${file}:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
    process.exitCode = 1;
    continue;
  }
  const out = join(dir, file.replace(/\.cf$/, '.json'));
  writeFileSync(out, `${JSON.stringify(layout(parsed.graph), null, 2)}\n`);
  writeFileSync(join(dir, file), printGraph(parsed.graph));
  console.log(`wrote ${out}`);
}
