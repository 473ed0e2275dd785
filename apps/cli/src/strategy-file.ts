// Reads a strategy from disk: graph JSON (what the canvas saves) or DSL text (.cf).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type Diagnostic, type GraphInput, parseText } from '@candleflow/strategy-dsl';

export type LoadedStrategy =
  | { readonly ok: true; readonly graph: GraphInput; readonly format: 'json' | 'text' }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function loadStrategy(path: string): LoadedStrategy {
  const content = readStrategyFile(path);
  if (extname(path).toLowerCase() === '.json') {
    try {
      return { ok: true, graph: JSON.parse(content) as GraphInput, format: 'json' };
    } catch (error) {
      return {
        ok: false,
        diagnostics: [
          {
            code: 'INVALID_GRAPH',
            severity: 'error',
            message: `${path} is not valid JSON: ${(error as Error).message}`,
            hint: 'save the graph again from the studio, or fix the JSON syntax',
          },
        ],
      };
    }
  }
  const parsed = parseText(content);
  return parsed.ok
    ? { ok: true, graph: parsed.graph, format: 'text' }
    : { ok: false, diagnostics: parsed.diagnostics };
}

function readStrategyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read strategy ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
