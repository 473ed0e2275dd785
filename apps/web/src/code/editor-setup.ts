// CodeMirror pieces for the DSL: colouring from the line tokenizer, lint diagnostics from the analysis,
// and the editor extensions the code view is built from.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { type Diagnostic as LintDiagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, type Extension, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import type { TextProblem } from './analyze';
import { type DslTokenClass, tokenizeLine } from './highlight';

/** Marks changes the code view makes itself (canvas → text), so they are not read back as typing. */
export const fromCanvas = Annotation.define<boolean>();

const marks = new Map<DslTokenClass, Decoration>();
function markFor(cls: DslTokenClass): Decoration {
  let mark = marks.get(cls);
  if (!mark) {
    mark = Decoration.mark({ class: `cf-dsl-${cls}` });
    marks.set(cls, mark);
  }
  return mark;
}

function buildDecorations(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  // Only the visible lines: a 300-node strategy stays cheap to colour while scrolling and typing.
  for (const { from, to } of view.visibleRanges) {
    let pos = from;
    while (pos <= to) {
      const line = view.state.doc.lineAt(pos);
      for (const token of tokenizeLine(line.text)) {
        builder.add(line.from + token.from, line.from + token.to, markFor(token.cls));
      }
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

export const dslHighlighting = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = buildDecorations(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged || update.viewportChanged) this.decorations = buildDecorations(update.view);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** Analysis problems as CodeMirror lint diagnostics, clamped to the document. */
export function toLintDiagnostics(problems: readonly TextProblem[], docLength: number): LintDiagnostic[] {
  return problems.map((p) => {
    const from = Math.min(p.from, docLength);
    return {
      from,
      to: Math.min(Math.max(p.to, from), docLength),
      severity: p.severity,
      source: p.code,
      message: p.message,
    };
  });
}

/** Replaces the lint diagnostics shown in the editor. */
export function showProblems(view: EditorView, problems: readonly TextProblem[]): void {
  view.dispatch(setDiagnostics(view.state, toLintDiagnostics(problems, view.state.doc.length)));
}

// Selection colours must come from an editor theme: CodeMirror's base theme outranks page CSS there.
const selectionTheme = EditorView.theme({
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
    background: 'color-mix(in srgb, var(--cf-dsl-node-id) 30%, transparent)',
  },
});

export const readOnlyCompartment = new Compartment();

export function readOnlyExtension(readOnly: boolean): Extension {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}

export function dslEditorExtensions(options: {
  readonly readOnly: boolean;
  readonly onDocChanged: (update: ViewUpdate) => void;
}): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    history(),
    lintGutter(),
    dslHighlighting,
    selectionTheme,
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    readOnlyCompartment.of(readOnlyExtension(options.readOnly)),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': 'Strategy DSL text', spellcheck: 'false' }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onDocChanged(update);
    }),
  ];
}
