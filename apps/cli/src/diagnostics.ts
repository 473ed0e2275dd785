// Prints compile diagnostics the way compilers do: file, position or node, code, message, hint.
import { type Diagnostic, formatDiagnostic } from '@candleflow/strategy-dsl';

export function printDiagnostics(
  write: (text: string) => void,
  file: string,
  diagnostics: readonly Diagnostic[],
): void {
  for (const d of diagnostics) write(`${file}: ${formatDiagnostic(d)}`);
}
