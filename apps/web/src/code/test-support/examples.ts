// Test helper: the example strategies in examples/*.json as parsed graphs (the same files the server offers as templates).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';

// A path, not a URL: under happy-dom the global URL is the DOM's, which node:fs does not accept.
const EXAMPLES = join(import.meta.dirname, '../../../../../examples');

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function exampleGraph(name: string): Graph {
  return GraphSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')));
}

/** 1-based line and column of an offset, counted independently of the code under test. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
