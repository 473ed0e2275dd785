// Rebuilds examples/*.json (the canvas form) from examples/*.cf (the DSL text), laying nodes out by depth,
// and rewrites the text in canonical form.
// Run: node --import tsx tools/build-examples.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, type Graph, parseText, printGraph } from '@candleflow/strategy-dsl';

const dir = join(import.meta.dirname, '..', 'examples');

/** Columns by longest path from a source, rows in statement order: readable without an auto-layout library. */
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
  const rows = new Map<number, number>();
  const nodes = graph.nodes.map((node) => {
    const column = visit(node.id, new Set());
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return { ...node, position: { x: column * 260, y: row * 140 } };
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
