// Every example strategy in examples/*.json is a valid saved graph under both the published JSON Schema
// (read by other tools) and GraphSchema (read by the compiler), and the two agree on a broken one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphSchema } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { committedSchemaValidator, REPO_ROOT } from './test-support/json-schema-validator';

const EXAMPLES = join(REPO_ROOT, 'examples');
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as Record<string, unknown>] as const);

describe('example graphs', () => {
  const validator = committedSchemaValidator();

  it('are there to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples)('%s validates against graph.schema.json', (_file, graph) => {
    expect(validator.problems('graph.schema.json', graph)).toEqual([]);
  });

  it.each(examples)('%s parses with GraphSchema', (_file, graph) => {
    const parsed = GraphSchema.safeParse(graph);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('a node id that is not an identifier is rejected by both, at the same path', () => {
    const [, graph] = examples[0]!;
    const nodes = graph.nodes as Record<string, unknown>[];
    const broken = { ...graph, nodes: [{ ...nodes[0], id: '1st node' }, ...nodes.slice(1)] };

    const jsonProblems = validator.problems('graph.schema.json', broken);
    const zodIssues = GraphSchema.safeParse(broken).error?.issues ?? [];

    expect(jsonProblems).toEqual([expect.stringMatching(/^\/nodes\/0\/id: must match pattern/)]);
    expect(zodIssues.map((i) => i.path)).toEqual([['nodes', 0, 'id']]);
    expect(zodIssues[0]?.message).toMatch(/node id must start with a letter/);
  });

  it('an unknown top-level field is rejected by both', () => {
    const [, graph] = examples[0]!;
    const broken = { ...graph, author: 'someone' };

    expect(validator.problems('graph.schema.json', broken)).toEqual([
      "(root): must NOT have additional properties 'author'",
    ]);
    expect(GraphSchema.safeParse(broken).error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys']);
  });
});
