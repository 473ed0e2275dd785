// `candleflow compile` and `candleflow fmt`: the strategy as canonical DSL text, or its errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { catalog } from '@candleflow/nodes';
import { compile, formatText, GraphSchema, printGraph } from '@candleflow/strategy-dsl';
import { printDiagnostics } from '../diagnostics';
import { loadStrategy } from '../strategy-file';
import type { CommandIo } from './backtest';

/** Compiles a graph (JSON or text) and prints its DSL text; errors go to stderr with exit code 1. */
export function compileCommand(path: string, options: { readonly json?: boolean }, io: CommandIo): number {
  const loaded = loadStrategy(path);
  if (!loaded.ok) {
    printDiagnostics(io.err, path, loaded.diagnostics);
    return 1;
  }
  const result = compile(loaded.graph, catalog);
  printDiagnostics(io.err, path, result.diagnostics);
  if (!result.ok) return 1;
  if (options.json) {
    io.out(JSON.stringify(result.graph, null, 2));
  } else {
    io.out(printGraph(GraphSchema.parse(result.graph)).trimEnd());
  }
  return 0;
}

/** Rewrites DSL text in canonical form: in place with --write, else to stdout; --check exits 1 if it would change. */
export function fmtCommand(
  path: string,
  options: { readonly write?: boolean; readonly check?: boolean },
  io: CommandIo,
): number {
  const text = readFileSync(path, 'utf8');
  const result = formatText(text);
  if (!result.ok) {
    printDiagnostics(io.err, path, result.diagnostics);
    return 1;
  }
  if (options.check) {
    if (result.text !== text) {
      io.err(`${path} is not in canonical form (run candleflow fmt --write ${path})`);
      return 1;
    }
    return 0;
  }
  if (options.write) {
    if (result.text !== text) writeFileSync(path, result.text);
    return 0;
  }
  io.out(result.text.trimEnd());
  return 0;
}
