// `fmt` for DSL text: parse, then print the canonical form. Comments are not kept (see README).
import type { Diagnostic } from '../errors';
import { parseText } from './parser';
import { printGraph } from './printer';

export type FormatTextResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

export function formatText(text: string): FormatTextResult {
  const parsed = parseText(text);
  return parsed.ok
    ? { ok: true, text: printGraph(parsed.graph) }
    : { ok: false, diagnostics: parsed.diagnostics };
}
