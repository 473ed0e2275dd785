// The shipped example strategies compile with the real catalog, and their DSL text matches their graph.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '@candleflow/nodes';
import { compile, formatDiagnostic, GraphSchema, printGraph } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', '..', 'examples');
const graphs = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('example strategies', () => {
  it('ships the six required examples', () => {
    for (const name of [
      'sma-cross',
      'ema-cross',
      'rsi-mean-reversion',
      'bollinger-breakout',
      'atr-trend-follower',
      'two-timeframe',
    ]) {
      expect(graphs).toContain(`${name}.json`);
    }
  });

  for (const file of graphs) {
    it(`${file} compiles without errors or warnings`, () => {
      const graph = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const result = compile(graph, catalog);
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(result.ok).toBe(true);
    });

    it(`${file} has its DSL text beside it, in canonical form`, () => {
      const graph = GraphSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const text = readFileSync(join(dir, file.replace(/\.json$/, '.cf')), 'utf8');
      expect(printGraph(graph)).toBe(text);
    });
  }
});
